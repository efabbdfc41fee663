package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
	"skillrecord/internal/identity"
	"skillrecord/internal/testenv"
)

const verifyPath = "/api/v1/verify/certificates"

// verify asks as the employer.
func (w *certWorld) verify(t *testing.T, no, name string) *apitest.Response {
	t.Helper()
	return w.As(w.employer).Do("POST", verifyPath, map[string]any{"certificate_no": no, "name": name})
}

// verifyCacheCount reads skillrecord_cache_requests_total{cache="certverify",result=result}.
func verifyCacheCount(t *testing.T, a *apitest.App, result string) float64 {
	t.Helper()
	return cacheCount(t, a, "certverify", result)
}

// cacheCount reads skillrecord_cache_requests_total{cache=name,result=result}.
func cacheCount(t *testing.T, a *apitest.App, name, result string) float64 {
	t.Helper()
	families, err := a.Metrics.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != "skillrecord_cache_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["cache"] == name && labels["result"] == result {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// withoutRequestID is a problem body without its request id, to compare two answers.
func withoutRequestID(t *testing.T, res *apitest.Response) map[string]any {
	t.Helper()
	m := res.Map(t)
	delete(m, "request_id")
	return m
}

func TestVerifyCertificate_RightNameSeesTheMaskedViewAndNoSSN(t *testing.T) {
	w := newCertWorld(t)
	body := certBody(w.holder, "VF-2026-000001", "vocational_qualification", 2)
	body["valid_until"] = "2099-12-31"
	w.issue(t, body)

	for _, token := range []string{w.employer, w.admin, func() string { _, c := w.OrgToken(t, w.admin, "college"); return c }()} {
		res := w.As(token).Do("POST", verifyPath, map[string]any{"certificate_no": " vf-2026-000001 ", "name": " " + w.holder.Name + " "})
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		got := res.Map(t)
		assert.Equal(t, map[string]any{
			"certificate_no": "VF-2026-000001", "status": "valid", "type": "vocational_qualification",
			"occupation_code": "6-18-01-01", "occupation_name": "焊工", "level": float64(2),
			"issued_on": "2026-06-30", "valid_until": "2099-12-31",
			"issuer":             map[string]any{"id": w.evalID, "name": "测试机构 evaluation_org"},
			"holder_name_masked": identity.MaskName(w.holder.Name),
		}, got)
		assert.True(t, strings.HasSuffix(got["holder_name_masked"].(string), "**"))
		for _, secret := range []string{w.holder.SSN, w.holder.Name, w.holder.SSN[:6], w.holder.SSN[14:], w.holder.Card} {
			assert.NotContains(t, string(res.Body), secret, "nothing of the SSN, name or card in the answer")
		}
	}
	res := w.As(w.eval).Do("POST", verifyPath, map[string]any{"certificate_no": "VF-2026-000001", "name": w.holder.Name})
	assert.Equal(t, http.StatusForbidden, res.Status, "issuers do not verify")
	require.Equal(t, http.StatusNotFound, w.verify(t, "VF-2026-000001", "某某某").Status)

	// Each verification's access event was committed before its answer went out.
	events, err := w.DB.Access(w.Keys).AccessEvents(context.Background(), w.holderID, 0, 10)
	require.NoError(t, err)
	require.Len(t, events, 3, "each successful verification, and only those, is in the holder's access log")
	for _, e := range events {
		assert.Equal(t, access.WhatCertificateVerification, e.What)
		assert.Equal(t, "VF-2026-000001", e.Why)
	}
	assert.Equal(t, "employer", events[2].ActorRole, "oldest last")
	assert.Equal(t, w.employerID, events[2].OrgID)
}

func TestVerifyCertificate_WrongNameAnswersExactlyLikeAnUnknownNumber(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "VF-2026-000002", "skill_level", 4))

	unknown := w.verify(t, "VF-2026-999999", w.holder.Name)
	require.Equal(t, http.StatusNotFound, unknown.Status, "%s", unknown.Body)
	assert.Equal(t, "not_found", problemCode(t, unknown))
	for _, name := range []string{"某某某", "Li Si", w.holder.Name + "x", "12345"} {
		wrong := w.verify(t, "VF-2026-000002", name)
		require.Equal(t, http.StatusNotFound, wrong.Status, "%s", wrong.Body)
		assert.Equal(t, withoutRequestID(t, unknown), withoutRequestID(t, wrong), "the same problem body")
		assert.Equal(t, unknown.Header.Get("Content-Type"), wrong.Header.Get("Content-Type"))
	}

	res := w.verify(t, "VF-2026-000002", "")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "required", problemCode(t, res))
	res = w.verify(t, "VF_2026", w.holder.Name)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "invalid_certificate_no", problemCode(t, res))
}

func TestVerifyCertificate_RevocationIsSeenAtOnceWithAWarmCache(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "VF-2026-000003", "skill_level", 3))
	for range 2 {
		res := w.verify(t, "VF-2026-000003", w.holder.Name)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Equal(t, "valid", res.Map(t)["status"])
	}
	require.GreaterOrEqual(t, verifyCacheCount(t, w.App, "hit"), float64(1), "the second verification came from Redis")

	res := w.revoke(t, w.eval, "VF-2026-000003", "证书造假")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	res = w.verify(t, "VF-2026-000003", w.holder.Name)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "revoked", res.Map(t)["status"], "the very next verification sees the revocation")
	res = w.verify(t, "VF-2026-000003", w.holder.Name)
	assert.Equal(t, "revoked", res.Map(t)["status"], "and so does the cached one after it")
}

func TestVerifyCertificate_UnknownNumberIsCachedUntilItIsIssued(t *testing.T) {
	w := newCertWorld(t)
	for range 2 {
		res := w.verify(t, "VF-2026-000004", w.holder.Name)
		require.Equal(t, http.StatusNotFound, res.Status)
	}
	assert.GreaterOrEqual(t, verifyCacheCount(t, w.App, "hit"), float64(1), "a guessed number costs Redis, not the database")
	w.issue(t, certBody(w.holder, "VF-2026-000004", "special_ability", 0))
	res := w.verify(t, "VF-2026-000004", w.holder.Name)
	require.Equal(t, http.StatusOK, res.Status, "the issue forgot the cached absence: %s", res.Body)
	_, hasLevel := res.Map(t)["level"]
	assert.False(t, hasLevel)
}

func TestVerifyCertificate_ExpiryIsDerivedOnTheDayOfTheAnswer(t *testing.T) {
	w := newCertWorld(t)
	cst := time.FixedZone("CST", 8*3600)
	tomorrow := w.Now().In(cst).AddDate(0, 0, 1).Format(time.DateOnly)
	body := certBody(w.holder, "VF-2026-000005", "skill_level", 5)
	body["issued_on"], body["valid_until"] = "2020-01-01", tomorrow
	w.issue(t, body)
	old := certBody(w.holder, "VF-2026-000006", "skill_level", 4)
	old["issued_on"], old["valid_until"] = "2012-01-01", "2015-01-01"
	w.issue(t, old)

	res := w.verify(t, "VF-2026-000006", w.holder.Name)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "expired", res.Map(t)["status"])

	for range 2 { // the second answer is cached
		res = w.verify(t, "VF-2026-000005", w.holder.Name)
		require.Equal(t, http.StatusOK, res.Status)
		assert.Equal(t, "valid", res.Map(t)["status"], "valid on its last day")
	}
	hits := verifyCacheCount(t, w.App, "hit")
	w.Advance(48 * time.Hour)
	w.employer = w.Mint(t, auth.Principal{ID: "client-after-midnight", Role: auth.RoleEmployer, OrgID: w.employerID})
	res = w.verify(t, "VF-2026-000005", w.holder.Name)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "expired", res.Map(t)["status"], "the cached facts give a fresh status")
	assert.Greater(t, verifyCacheCount(t, w.App, "hit"), hits, "answered from the cache")
}

func TestVerifyCertificate_RedisHoldsNoPersonalData(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "VF-2026-000007", "skill_level", 3))
	for range 2 {
		require.Equal(t, http.StatusOK, w.verify(t, "VF-2026-000007", w.holder.Name).Status)
		require.Equal(t, http.StatusNotFound, w.verify(t, "VF-2026-000007", "某某某").Status)
		require.Equal(t, http.StatusNotFound, w.verify(t, "VF-2026-000008", w.holder.Name).Status)
	}
	keys, values := dumpRedis(t, w.App)
	require.Contains(t, keys, "{certverify:VF-2026-000007}", "the answer is cached under the number alone")
	for _, secret := range []string{w.holder.SSN, w.holder.Name, "某某某", identity.MaskName(w.holder.Name)} {
		assert.NotContainsf(t, keys, secret, "a Redis key holds personal data (%d bytes)", len(secret))
		assert.NotContainsf(t, string(values), secret, "a Redis value holds personal data (%d bytes)", len(secret))
	}
	tables := dumpAllTables(t, w.DB)
	assert.NotContains(t, string(tables), w.holder.Name, "no table holds the name in clear")
	assert.NotContains(t, w.Logs.String(), w.holder.Name, "the log does not hold the name")
}

func TestVerifyCertificate_WithoutRedisAnswersFromTheDatabase(t *testing.T) {
	redis := testenv.StartRedisServer(t)
	w := newCertWorld(t, apitest.Options{RedisAddr: redis.Addr})
	w.issue(t, certBody(w.holder, "VF-2026-000009", "skill_level", 3))
	require.Equal(t, http.StatusOK, w.verify(t, "VF-2026-000009", w.holder.Name).Status, "warm")

	redis.Kill()
	for range 6 { // past the breaker's threshold
		res := w.verify(t, "VF-2026-000009", w.holder.Name)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Equal(t, "valid", res.Map(t)["status"])
	}
	require.Equal(t, http.StatusOK, w.revoke(t, w.eval, "VF-2026-000009", "证书造假").Status, "a revocation does not need Redis")
	res := w.verify(t, "VF-2026-000009", w.holder.Name)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "revoked", res.Map(t)["status"])
	assert.Equal(t, http.StatusNotFound, w.verify(t, "VF-2026-000009", "某某某").Status)
}
