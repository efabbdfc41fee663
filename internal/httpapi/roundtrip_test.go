package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/redistest"
)

// TestMyRecord_ACachedReadIsOneRoundTrip checks the design's rule for cached reads: the token
// deny-list check and the record read travel together.
func TestMyRecord_ACachedReadIsOneRoundTrip(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	p, _, tok := a.WorkerToken(t, admin)
	me := a.As(tok)
	require.Equal(t, http.StatusOK, me.Do("GET", "/api/v1/me/record", nil).Status) // warms both entries

	rt := &redistest.Calls{}
	a.Cache.Client().AddHook(rt)
	res := me.Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, p.Name, res.Map(t)["worker"].(map[string]any)["name"])
	assert.Equal(t, int64(1), rt.Trips(), "deny-list check and record read in one round trip")

	// The announced read is not reused for another worker's request or left behind.
	_, _, other := a.WorkerToken(t, admin)
	res = a.As(other).Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.NotEqual(t, p.Name, res.Map(t)["worker"].(map[string]any)["name"])
}

// TestVerifyCertificate_ACachedVerificationIsOneRoundTrip: the employer's deny-list check, its
// organisation's standing and the certificate lookup travel together.
func TestVerifyCertificate_ACachedVerificationIsOneRoundTrip(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "RT-2026-000001", "skill_level", 3))
	require.Equal(t, http.StatusOK, w.verify(t, "RT-2026-000001", w.holder.Name).Status) // warms the entries

	rt := &redistest.Calls{}
	w.Cache.Client().AddHook(rt)
	res := w.verify(t, "rt-2026-000001", w.holder.Name) // the number is normalised before the lookup
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.Equal(t, "valid", res.Map(t)["status"])
	assert.Equal(t, int64(1), rt.Trips(), "one round trip for token, organisation and certificate")

	// A revocation is still seen at once.
	require.Equal(t, http.StatusOK, w.revoke(t, w.eval, "RT-2026-000001", "annulled").Status)
	assert.Equal(t, "revoked", w.verify(t, "RT-2026-000001", w.holder.Name).Map(t)["status"])
}

// TestVerifyCertificate_PeekingTheBodyKeepsItsErrors: authentication reads the number from the
// body ahead of the handler; bad bodies still get the answers they always got (an oversized one
// is refused before authentication, a broken or over-full one by the handler).
func TestVerifyCertificate_PeekingTheBodyKeepsItsErrors(t *testing.T) {
	w := newCertWorld(t)
	emp := w.As(w.employer)
	big := `{"certificate_no":"` + strings.Repeat("A", 2<<20) + `","name":"x"}`
	res := emp.Do("POST", verifyPath, big, "Content-Type", "application/json")
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	res = emp.Do("POST", verifyPath, `{"certificate_no":`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, res.Status)
	res = emp.Do("POST", verifyPath, `{"certificate_no":"RT-2026-000404","name":"某某","extra":1}`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, res.Status, "the handler still sees every field of the body")
}
