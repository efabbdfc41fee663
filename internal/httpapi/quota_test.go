package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/audit"
	"skillrecord/internal/testenv"
)

// metricValue reads a counter from the app's registry by name and label values (name, value
// pairs); 0 when the series does not exist.
func metricValue(t *testing.T, a *apitest.App, name string, labels ...string) float64 {
	t.Helper()
	families, err := a.Metrics.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || lp.GetName() == labels[i] && lp.GetValue() == labels[i+1]
				}
				if !found {
					continue series
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

// quotaEvents are the audit trail's quota.exceeded events, newest first.
func quotaEvents(t *testing.T, a *apitest.App) []audit.Event {
	t.Helper()
	events, err := a.DB.Audit().Events(context.Background(), audit.Filter{Action: "quota.exceeded"}, 0, 100)
	require.NoError(t, err)
	return events
}

// requireRateLimited checks a 429 rate_limited answer with a Retry-After within the window.
func requireRateLimited(t *testing.T, res *apitest.Response) {
	t.Helper()
	require.Equal(t, http.StatusTooManyRequests, res.Status, "%s", res.Body)
	assert.Equal(t, "rate_limited", problemCode(t, res))
	assert.Regexp(t, `^[1-9][0-9]*$`, res.Header.Get("Retry-After"))
	assert.LessOrEqual(t, len(res.Header.Get("Retry-After")), 4, "at most the hour's window")
}

func TestVerifyQuota_MissesThenEveryVerificationIsRefusedAndAuditedOnce(t *testing.T) {
	w := newCertWorld(t, apitest.Options{Env: map[string]string{
		"SKILLRECORD_QUOTA_VERIFY_MISSES_PER_ORG": "3", "SKILLRECORD_QUOTA_VERIFY_MISSES_PER_IP": "100",
	}})
	w.issue(t, certBody(w.holder, "QT-2026-000001", "skill_level", 3))

	for i := 0; i < 5; i++ {
		require.Equal(t, http.StatusOK, w.verify(t, "QT-2026-000001", w.holder.Name).Status, "hits do not count")
	}
	counters, err := w.Cache.Client().Keys(context.Background(), w.Cache.Key("quota", "*")).Result()
	require.NoError(t, err)
	assert.Empty(t, counters, "a hit leaves nothing in Redis: it costs no round trip for the quota")
	for _, no := range []string{"QT-GUESS-0001", "QT-GUESS-0002", "QT-GUESS-0003"} {
		require.Equal(t, http.StatusNotFound, w.verify(t, no, w.holder.Name).Status, "a miss within the quota")
	}
	requireRateLimited(t, w.verify(t, "QT-GUESS-0004", w.holder.Name))
	requireRateLimited(t, w.verify(t, "QT-2026-000001", w.holder.Name)) // found or not: the refusal tells nothing
	requireRateLimited(t, w.verify(t, "QT-2026-000001", "错名字"))

	_, other := w.OrgToken(t, w.admin, "employer")
	res := w.As(other).Do("POST", verifyPath, map[string]any{"certificate_no": "QT-2026-000001", "name": w.holder.Name})
	assert.Equal(t, http.StatusOK, res.Status, "another organisation has its own quota")

	assert.Equal(t, 3.0, metricValue(t, w.App, "skillrecord_quota_misses_total", "route", "verify"))
	assert.Equal(t, 3.0, metricValue(t, w.App, "skillrecord_quota_refused_total", "route", "verify", "scope", "org"))
	assert.Zero(t, metricValue(t, w.App, "skillrecord_quota_refused_total", "route", "verify", "scope", "address"))
	assert.Equal(t, 1.0, metricValue(t, w.App, "skillrecord_quota_exceeded_total", "route", "verify", "scope", "org"))

	events := quotaEvents(t, w.App)
	require.Len(t, events, 1, "one event for the window, however long the caller keeps going")
	e := events[0]
	assert.Equal(t, w.employerID, e.OrgID)
	assert.Equal(t, "employer", e.ActorRole)
	assert.Equal(t, "route=verify scope=org", e.Target)
	assert.Equal(t, http.StatusTooManyRequests, e.Status)
	assert.Equal(t, "rate_limited", e.Code)
	assert.NotContains(t, e.Target, "QT-")
}

func TestVerifyQuota_PerAddressAcrossOrganisations(t *testing.T) {
	w := newCertWorld(t, apitest.Options{Env: map[string]string{
		"SKILLRECORD_QUOTA_VERIFY_MISSES_PER_ORG": "100", "SKILLRECORD_QUOTA_VERIFY_MISSES_PER_IP": "4",
		"SKILLRECORD_HTTP_TRUSTED_PROXIES": "192.0.2.1", // httptest's peer: X-Forwarded-For is believed
	}})
	_, college := w.OrgToken(t, w.admin, "college")
	miss := func(token, addr, no string) *apitest.Response {
		return w.As(token).Do("POST", verifyPath, map[string]any{"certificate_no": no, "name": "张三"}, "X-Forwarded-For", addr)
	}
	const shared, elsewhere = "198.51.100.7", "203.0.113.9"
	require.Equal(t, http.StatusNotFound, miss(w.employer, shared, "PA-0001").Status)
	require.Equal(t, http.StatusNotFound, miss(w.employer, shared, "PA-0002").Status)
	require.Equal(t, http.StatusNotFound, miss(college, shared, "PA-0003").Status)
	require.Equal(t, http.StatusNotFound, miss(college, shared, "PA-0004").Status)

	requireRateLimited(t, miss(college, shared, "PA-0005"))
	requireRateLimited(t, miss(w.employer, shared, "PA-0006"))
	assert.Equal(t, http.StatusNotFound, miss(w.employer, elsewhere, "PA-0007").Status, "the same organisation from another address")
	assert.Equal(t, 2.0, metricValue(t, w.App, "skillrecord_quota_refused_total", "route", "verify", "scope", "address"))
	events := quotaEvents(t, w.App)
	require.Len(t, events, 1)
	assert.Equal(t, "route=verify scope=address", events[0].Target)
	assert.Equal(t, shared, events[0].ClientIP)
}

func TestSharedQuota_MissesThenRefusedButOpensThatFindDoNotCount(t *testing.T) {
	w := newShareWorld(t, apitest.Options{Env: map[string]string{
		"SKILLRECORD_QUOTA_SHARED_MISSES_PER_ORG": "2", "SKILLRECORD_QUOTA_SHARED_MISSES_PER_IP": "100",
	}})
	s := w.share(t, map[string]any{"scope": "record", "expires_in_hours": 24})
	for i := 0; i < 4; i++ {
		require.Equal(t, http.StatusOK, w.As(w.employer).Do("GET", "/api/v1/shared/"+s.Token, nil).Status, "opens that find do not count")
	}
	for _, guess := range []string{"guess-one", "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"} {
		require.Equal(t, http.StatusNotFound, w.As(w.employer).Do("GET", "/api/v1/shared/"+guess, nil).Status)
	}
	requireRateLimited(t, w.As(w.employer).Do("GET", "/api/v1/shared/"+s.Token, nil))
	assert.Equal(t, http.StatusOK, w.As(w.college).Do("GET", "/api/v1/shared/"+s.Token, nil).Status, "another organisation")

	assert.Equal(t, 2.0, metricValue(t, w.App, "skillrecord_quota_misses_total", "route", "shared"))
	assert.Equal(t, 1.0, metricValue(t, w.App, "skillrecord_quota_refused_total", "route", "shared", "scope", "org"))
	events := quotaEvents(t, w.App)
	require.Len(t, events, 1)
	assert.Equal(t, "route=shared scope=org", events[0].Target)
	assert.NotContains(t, events[0].Target, s.Token)
}

func TestActivate_PerSSNLimitHoldsAcrossAddresses(t *testing.T) {
	a := apitest.NewApp(t, apitest.Options{Env: map[string]string{
		"SKILLRECORD_AUTH_MAX_ACTIVATION_FAILURES_PER_SSN": "3", "SKILLRECORD_AUTH_MAX_FAILURES_PER_IP": "50",
		"SKILLRECORD_HTTP_TRUSTED_PROXIES": "192.0.2.1",
	}})
	admin := a.AdminToken(t)
	p, other := apitest.NewPerson(), apitest.NewPerson()
	a.Register(t, admin, p, other)
	activate := func(who apitest.Person, card, addr string) *apitest.Response {
		return a.As("").Do("POST", "/api/v1/workers/activate",
			map[string]string{"ssn": who.SSN, "name": who.Name, "card_number": card, "password": "worker-pass-1"},
			"X-Forwarded-For", addr)
	}
	require.Equal(t, http.StatusUnprocessableEntity, activate(p, "Q00000001", "198.51.100.1").Status)
	require.Equal(t, http.StatusUnprocessableEntity, activate(p, "Q00000002", "198.51.100.1").Status)
	require.Equal(t, http.StatusUnprocessableEntity, activate(p, "Q00000003", "203.0.113.2").Status)

	res := activate(p, p.Card, "203.0.113.3")
	require.Equal(t, http.StatusTooManyRequests, res.Status, "a third address, the right card: the SSN waits")
	assert.Equal(t, "too_many_attempts", problemCode(t, res))
	assert.NotEmpty(t, res.Header.Get("Retry-After"))
	assert.Equal(t, 1.0, metricValue(t, a, "skillrecord_quota_refused_total", "route", "activate", "scope", "ssn"))
	assert.Zero(t, metricValue(t, a, "skillrecord_quota_refused_total", "route", "activate", "scope", "address"))

	assert.Equal(t, http.StatusCreated, activate(other, other.Card, "203.0.113.3").Status, "another SSN is not held up")

	keys, err := a.Cache.Client().Keys(context.Background(), a.Cache.Key("throttle", "activate-ssn:*")).Result()
	require.NoError(t, err)
	require.NotEmpty(t, keys)
	for _, k := range keys {
		assert.NotContains(t, k, p.SSN, "the key holds the SSN's blind index, never the SSN")
		assert.NotContains(t, k, p.SSN[:14])
	}
}

// TestQuotas_HoldWhenRedisIsKilled kills the app's Redis: the miss quota and the activation
// throttle go on counting in process instead of letting every attempt through.
func TestQuotas_HoldWhenRedisIsKilled(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	w := newCertWorld(t, apitest.Options{RedisAddr: redis.Addr, Env: map[string]string{
		"SKILLRECORD_QUOTA_VERIFY_MISSES_PER_ORG": "3", "SKILLRECORD_AUTH_MAX_ACTIVATION_FAILURES_PER_SSN": "2",
	}})
	p := apitest.NewPerson()
	w.Register(t, w.admin, p)
	require.Equal(t, http.StatusNotFound, w.verify(t, "KL-0001", "张三").Status, "counted in Redis")

	redis.Kill()

	require.Equal(t, http.StatusNotFound, w.verify(t, "KL-0002", "张三").Status)
	require.Equal(t, http.StatusNotFound, w.verify(t, "KL-0003", "张三").Status)
	requireRateLimited(t, w.verify(t, "KL-0004", "张三"))
	requireRateLimited(t, w.verify(t, "KL-0005", "张三"))
	assert.Len(t, quotaEvents(t, w.App), 1, "audited from the in-process count too")

	activate := func(card string) *apitest.Response {
		return w.As("").Do("POST", "/api/v1/workers/activate",
			map[string]string{"ssn": p.SSN, "name": p.Name, "card_number": card, "password": "worker-pass-1"})
	}
	require.Equal(t, http.StatusUnprocessableEntity, activate("Q00000001").Status)
	require.Equal(t, http.StatusUnprocessableEntity, activate("Q00000002").Status)
	assert.Equal(t, http.StatusTooManyRequests, activate(p.Card).Status, "the per-SSN limit holds without Redis")

	assert.Positive(t, metricValue(t, w.App, "skillrecord_ratelimit_local_total"))
}

func TestShareQuota_TheOneOverTheLimitIsRefusedRevokedAndExpiredDoNotCount(t *testing.T) {
	w := newShareWorld(t)
	me := w.As(w.workerTok)
	w.share(t, map[string]any{"scope": "record", "expires_in_hours": 1})
	var ids []string
	for i := 1; i < 20; i++ {
		ids = append(ids, w.share(t, map[string]any{"scope": "certificates", "expires_in_hours": 48}).ID)
	}
	res := me.Do("POST", "/api/v1/me/shares", map[string]any{"scope": "record", "expires_in_hours": 24})
	require.Equal(t, http.StatusConflict, res.Status, "the 21st active share: %s", res.Body)
	assert.Equal(t, "share_quota_exceeded", problemCode(t, res))

	require.Equal(t, http.StatusNoContent, me.Do("DELETE", "/api/v1/me/shares/"+ids[0], nil).Status)
	w.share(t, map[string]any{"scope": "record", "expires_in_hours": 24}) // a revoked share does not count
	res = me.Do("POST", "/api/v1/me/shares", map[string]any{"scope": "record", "expires_in_hours": 24})
	require.Equal(t, http.StatusConflict, res.Status)

	w.advance(t, 2*time.Hour) // the first share has expired
	me = w.As(w.workerTok)
	w.share(t, map[string]any{"scope": "record", "expires_in_hours": 24})
	assert.Equal(t, http.StatusConflict, me.Do("POST", "/api/v1/me/shares", map[string]any{"scope": "record", "expires_in_hours": 24}).Status)
}
