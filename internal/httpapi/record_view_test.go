package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
)

// certificateStatus returns the status of certificate no in a /me/record answer.
func certificateStatus(t *testing.T, rec map[string]any, no string) string {
	t.Helper()
	for _, c := range rec["certificates"].([]any) {
		if m := c.(map[string]any); m["certificate_no"] == no {
			return m["status"].(string)
		}
	}
	t.Fatalf("certificate %s not in the record", no)
	return ""
}

func TestMyRecord_CachedAnswerShowsExpiryOnTheDayAfterValidUntil(t *testing.T) {
	w := newCertWorld(t)
	cst := time.FixedZone("CST", 8*3600)
	tomorrow := w.Now().In(cst).AddDate(0, 0, 1).Format(time.DateOnly)
	body := certBody(w.holder, "VF-REC-000001", "skill_level", 3)
	body["issued_on"], body["valid_until"] = "2020-01-01", tomorrow
	w.issue(t, body)
	me := w.As(w.holderTok)

	res := me.Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "valid", certificateStatus(t, res.Map(t), "VF-REC-000001"))
	etag := res.Header.Get("ETag")
	res = me.Do("GET", "/api/v1/me/record", nil, "If-None-Match", etag)
	require.Equal(t, http.StatusNotModified, res.Status, "the cached rendering answers 304 to its own ETag")
	assert.Equal(t, etag, res.Header.Get("ETag"))

	w.Advance(48 * time.Hour) // past the last valid day; nothing was written, the entry stays
	me = w.As(w.Mint(t, auth.Principal{ID: w.holderID, Role: auth.RoleWorker}))
	res = me.Do("GET", "/api/v1/me/record", nil, "If-None-Match", etag)
	require.Equal(t, http.StatusOK, res.Status, "the rendering of two days ago no longer holds")
	assert.Equal(t, "expired", certificateStatus(t, res.Map(t), "VF-REC-000001"))
	assert.NotEqual(t, etag, res.Header.Get("ETag"))
	again := me.Do("GET", "/api/v1/me/record", nil, "If-None-Match", res.Header.Get("ETag"))
	assert.Equal(t, http.StatusNotModified, again.Status)
}
