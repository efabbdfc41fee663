package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/testenv"
)

// The field report's worst finding: Redis stalled, a change was made during the stall (its
// cache invalidation failed), and once Redis was back and the circuit had closed, the old
// cached answer was served again. Each test below pauses a Redis of its own, opens the circuit
// with requests, makes the change, resumes Redis, waits until the cache is in use again and
// checks that the change holds.

// pauseUntilCircuitOpens pauses redis and sends request until the app stops asking Redis for
// reads: its circuit opens (or, since the fix, it stops trusting Redis on the first trouble).
func pauseUntilCircuitOpens(t *testing.T, a *apitest.App, redis *testenv.RedisServer, request func()) {
	t.Helper()
	redis.Pause()
	for a.Cache.Healthy() && a.Cache.Trusted() {
		request()
	}
}

// resumeAndWaitForTheCache resumes redis and waits past the circuit's cooldown until reads use
// Redis again.
func resumeAndWaitForTheCache(t *testing.T, a *apitest.App, redis *testenv.RedisServer) {
	t.Helper()
	redis.Resume()
	require.Eventually(t, func() bool { return a.Cache.Trusted() && a.Cache.Healthy() }, 15*time.Second, 20*time.Millisecond,
		"the cache is used again after the outage")
}

func TestStaleCache_ACertificateRevokedDuringARedisPauseIsNeverVerifiedValidAgain(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	w := newCertWorld(t, apitest.Options{RedisAddr: redis.Addr})
	const no = "SC-2026-000001"
	w.issue(t, certBody(w.holder, no, "skill_level", 3))
	for range 2 { // the second answer comes from the cache
		require.Equal(t, "valid", w.verify(t, no, w.holder.Name).Map(t)["status"])
	}

	pauseUntilCircuitOpens(t, w.App, redis, func() {
		require.Equal(t, "valid", w.verify(t, no, w.holder.Name).Map(t)["status"])
	})
	require.Equal(t, http.StatusOK, w.revoke(t, w.eval, no, "annulled").Status)
	assert.Equal(t, "revoked", w.verify(t, no, w.holder.Name).Map(t)["status"], "during the pause")

	resumeAndWaitForTheCache(t, w.App, redis)
	for range 3 {
		assert.Equal(t, "revoked", w.verify(t, no, w.holder.Name).Map(t)["status"], "after the pause")
	}
	assert.Greater(t, verifyCacheCount(t, w.App, "hit"), 1.0, "and the answer comes from the cache again")
}

func TestStaleCache_AnOrganisationSuspendedDuringARedisPauseStaysRefused(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	a := apitest.NewApp(t, apitest.Options{RedisAddr: redis.Addr})
	admin := a.AdminToken(t)
	orgID, tok := a.OrgToken(t, admin, "employer")
	emp := a.As(tok)
	ask := func() int {
		return emp.Do("POST", verifyPath, map[string]any{"certificate_no": "SC-2026-404404", "name": "某某"}).Status
	}
	for range 2 { // the standing is cached
		require.Equal(t, http.StatusNotFound, ask())
	}

	pauseUntilCircuitOpens(t, a, redis, func() { require.Equal(t, http.StatusNotFound, ask()) })
	res := a.As(admin).Do("PATCH", "/api/v1/admin/organizations/"+orgID, map[string]string{"status": "suspended", "reason": "audit"})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, http.StatusUnauthorized, ask(), "during the pause")

	resumeAndWaitForTheCache(t, a, redis)
	for range 3 {
		assert.Equal(t, http.StatusUnauthorized, ask(), "after the pause")
	}
}

func TestStaleCache_ATokenLoggedOutDuringARedisPauseStaysOut(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	a := apitest.NewApp(t, apitest.Options{RedisAddr: redis.Addr})
	a.CreateAdmin(t, "ops.pause", adminPass)
	access, _ := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.pause", "password": adminPass})
	me := a.As(access)
	list := func() int { return me.Do("GET", "/api/v1/admin/organizations", nil).Status }
	for range 2 { // the token's state is cached
		require.Equal(t, http.StatusOK, list())
	}

	pauseUntilCircuitOpens(t, a, redis, func() { require.Equal(t, http.StatusOK, list()) })
	require.Equal(t, http.StatusNoContent, me.Do("POST", "/api/v1/auth/logout", nil).Status)
	assert.Equal(t, http.StatusUnauthorized, list(), "during the pause")

	resumeAndWaitForTheCache(t, a, redis)
	for range 3 {
		assert.Equal(t, http.StatusUnauthorized, list(), "after the pause")
	}
}
