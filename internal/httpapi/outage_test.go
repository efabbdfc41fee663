package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/testenv"
)

// TestRedisOutage_RequestsKeepWorking kills the app's Redis mid-test: sign-in, authenticated
// reads, logout and the revocation that follows keep working from the database, and readiness
// reports degraded.
func TestRedisOutage_RequestsKeepWorking(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	a := apitest.NewApp(t, apitest.Options{RedisAddr: redis.Addr})
	a.CreateAdmin(t, "ops.outage", adminPass)
	before, _ := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.outage", "password": adminPass})
	admin := a.As(before)
	orgID := a.CreateOrg(t, before, "employer")
	require.Equal(t, http.StatusOK, admin.Do("GET", "/api/v1/admin/organizations/"+orgID, nil).Status)
	p, _, workerTok := a.WorkerToken(t, before)
	require.Equal(t, http.StatusOK, a.As(workerTok).Do("GET", "/api/v1/me/record", nil).Status) // cached, with its prefetch

	redis.Kill()

	for i := 0; i < 5; i++ { // the announced record read fails with the deny-list read: both fall back
		res := a.As(workerTok).Do("GET", "/api/v1/me/record", nil)
		require.Equal(t, http.StatusOK, res.Status, "record read %d during the outage: %s", i, res.Body)
		assert.Equal(t, p.Name, res.Map(t)["worker"].(map[string]any)["name"])
	}

	for i := 0; i < 10; i++ { // past the breaker's threshold, and on
		res := admin.Do("GET", "/api/v1/admin/organizations/"+orgID, nil)
		require.Equal(t, http.StatusOK, res.Status, "read %d during the outage: %s", i, res.Body)
	}
	after, _ := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.outage", "password": adminPass})
	require.Equal(t, http.StatusOK, a.As(after).Do("GET", "/api/v1/admin/organizations", nil).Status)

	require.Equal(t, http.StatusNoContent, a.As(after).Do("POST", "/api/v1/auth/logout", nil).Status)
	assert.Equal(t, http.StatusUnauthorized, a.As(after).Do("GET", "/api/v1/admin/organizations", nil).Status,
		"logout holds without Redis")

	res := a.As("").Do("GET", "/readyz", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "degraded", res.Map(t)["status"])
	assert.True(t, strings.Contains(a.Logs.String(), "circuit"), "the outage is logged")
}
