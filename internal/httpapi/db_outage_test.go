package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/testenv"
)

// TestDatabaseOutage_Answers503Unavailable cuts the app's MariaDB off (a proxy in front of the
// real server is closed): reads and writes that need it answer 503 unavailable with
// Retry-After, never 500, and readiness turns 503 with Retry-After too.
func TestDatabaseOutage_Answers503Unavailable(t *testing.T) {
	db, proxy := testenv.MySQLBehindProxy(t)
	a := apitest.NewApp(t, apitest.Options{DB: db})
	tok := a.AdminToken(t)
	admin := a.As(tok)
	orgID := a.CreateOrg(t, tok, "employer")
	require.Equal(t, http.StatusOK, admin.Do("GET", "/api/v1/admin/organizations/"+orgID, nil).Status)

	proxy.Close()

	for i, req := range []struct{ method, path string }{
		{"GET", "/api/v1/admin/organizations/" + orgID}, // a pooled connection that was cut
		{"GET", "/api/v1/admin/organizations"},
		{"GET", "/api/v1/admin/organizations/" + orgID}, // a new connection that is refused
	} {
		res := admin.Do(req.method, req.path, nil)
		require.Equal(t, http.StatusServiceUnavailable, res.Status, "request %d: %s", i, res.Body)
		assert.Equal(t, "unavailable", res.Map(t)["code"])
		assert.Equal(t, "5", res.Header.Get("Retry-After"))
	}
	res := admin.Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "断线测试公司", "type": "employer", "credit_code": apitest.CreditCode(), "region_code": "370400",
	})
	require.Equal(t, http.StatusServiceUnavailable, res.Status, "a write: %s", res.Body)
	assert.Equal(t, "unavailable", res.Map(t)["code"])
	assert.NotEmpty(t, res.Header.Get("Retry-After"))

	ready := a.As("").Do("GET", "/readyz", nil)
	require.Equal(t, http.StatusServiceUnavailable, ready.Status)
	assert.NotEmpty(t, ready.Header.Get("Retry-After"))
}
