package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"skillrecord/internal/redistest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVerifyCertificate_BadBodiesAnswerAsBeforeWithAWarmCache: authentication parses the body
// once, for the lookup to join the token checks; a bad body still gets its own answer (status
// and code), and a body in an unusual but valid form still verifies, in one round trip.
func TestVerifyCertificate_BadBodiesAnswerAsBeforeWithAWarmCache(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "PF-2026-000001", "skill_level", 3))
	require.Equal(t, http.StatusOK, w.verify(t, "PF-2026-000001", w.holder.Name).Status) // warms the entries
	emp := w.As(w.employer)
	name := w.holder.Name
	for _, tc := range []struct {
		body, contentType string
		status            int
		code              string
	}{
		{`{"certificate_no":"PF-2026-000001","name":"` + name + `","extra":1}`, "application/json", http.StatusBadRequest, "unknown_field"},
		{`{"certificate_no":"PF-2026-000001","Name":"` + name + `"}`, "application/json", http.StatusBadRequest, "unknown_field"},
		{`{"certificate_no":"PF-2026-000001","name":"` + "\xff" + `"}`, "application/json", http.StatusBadRequest, "invalid_utf8"},
		{`{"certificate_no":"PF-2026-000001","name":1}`, "application/json", http.StatusBadRequest, "malformed_json"},
		{`{"certificate_no":"PF-2026-000001","name":"` + name + `"} {}`, "application/json", http.StatusBadRequest, "malformed_json"},
		{`{"certificate_no":"PF-2026-000001",`, "application/json", http.StatusBadRequest, "malformed_json"},
		{``, "application/json", http.StatusBadRequest, "malformed_json"},
		{`{"certificate_no":"PF-2026-000001","name":"` + name + `"}`, "text/plain", http.StatusUnsupportedMediaType, "unsupported_media_type"},
		{`{"certificate_no":"` + strings.Repeat("A", 1<<20) + `","name":"x"}`, "application/json", http.StatusRequestEntityTooLarge, "body_too_large"},
		{`{"certificate_no":"PF-2026-000001","name":null}`, "application/json", http.StatusUnprocessableEntity, "required"},
		{`{"certificate_no":"PF-2026-000001","name":"` + name + `x"}`, "application/json", http.StatusNotFound, "not_found"},
	} {
		res := emp.Do("POST", verifyPath, tc.body, "Content-Type", tc.contentType)
		require.Equal(t, tc.status, res.Status, "%.80q: %s", tc.body, res.Body)
		assert.Equal(t, tc.code, problemCode(t, res), "%.80q", tc.body)
	}

	rt := &redistest.Calls{}
	w.Cache.Client().AddHook(rt)
	var escaped strings.Builder // the name as \u escapes: the general decoder's path
	for _, r := range name {
		escaped.WriteString(`\u` + hex4(r))
	}
	res := emp.Do("POST", verifyPath, ` { "name" : "`+escaped.String()+`", "certificate_no" : "pf-2026-000001" } `, "Content-Type", "application/json")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "valid", res.Map(t)["status"])
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	assert.Equal(t, "application/json; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, int64(1), rt.Trips(), "an escaped body is parsed once too, in time for the one round trip")
}

// hex4 is r's four hex digits, for a \u escape of a character of the basic plane.
func hex4(r rune) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[r>>12&0xf], digits[r>>8&0xf], digits[r>>4&0xf], digits[r&0xf]})
}

// TestVerifyCertificate_ASuspendedVerifierIsRefusedWithAWarmCache: the verifier's standing is
// read in the same round trip as the lookup, and its suspension is seen at once: no answer,
// no access event.
func TestVerifyCertificate_ASuspendedVerifierIsRefusedWithAWarmCache(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "PF-2026-000002", "skill_level", 3))
	for range 2 { // the standing and the facts are cached
		require.Equal(t, http.StatusOK, w.verify(t, "PF-2026-000002", w.holder.Name).Status)
	}
	res := w.As(w.admin).Do("PATCH", "/api/v1/admin/organizations/"+w.employerID, map[string]string{"status": "suspended", "reason": "audit"})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)

	res = w.verify(t, "PF-2026-000002", w.holder.Name)
	assert.Equal(t, http.StatusUnauthorized, res.Status, "%s", res.Body)
	assert.NotContains(t, string(res.Body), "PF-2026-000002")
	events, err := w.DB.Access(w.Keys).AccessEvents(context.Background(), w.holderID, 0, 10)
	require.NoError(t, err)
	assert.Len(t, events, 2, "only the answered verifications are in the holder's access log")
}
