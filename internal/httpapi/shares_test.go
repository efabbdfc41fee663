package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/apitest"
	"skillrecord/internal/identity"
)

// shareWorld is the service with a worker, an employer, a college and an evaluation
// organisation that issues the worker's certificates.
type shareWorld struct {
	*apitest.App
	admin                 string
	worker                apitest.Person
	workerID, workerTok   string
	employerID, employer  string
	collegeID, college    string
	evalID, eval          string
	institutionID, instTk string
	clients               map[*string][2]string // token field → client id and secret, to sign in again
}

func newShareWorld(t *testing.T, opts ...apitest.Options) *shareWorld {
	t.Helper()
	a := apitest.NewApp(t, opts...)
	w := &shareWorld{App: a, admin: a.AdminToken(t), clients: map[*string][2]string{}}
	w.worker, w.workerID, w.workerTok = a.WorkerToken(t, w.admin)
	w.employerID = w.org(t, "employer", &w.employer)
	w.collegeID = w.org(t, "college", &w.college)
	w.evalID = w.org(t, "evaluation_org", &w.eval)
	w.institutionID = w.org(t, "training_institution", &w.instTk)
	return w
}

// org creates an organisation with a client, signs it in into *token and returns its id.
func (w *shareWorld) org(t *testing.T, typ string, token *string) string {
	t.Helper()
	id := w.CreateOrg(t, w.admin, typ)
	clientID, secret := w.CreateClient(t, w.admin, id)
	w.clients[token] = [2]string{clientID, secret}
	*token, _ = w.Token(t, map[string]string{"grant_type": "client_credentials", "client_id": clientID, "client_secret": secret})
	return id
}

// advance moves the app's clock and signs everyone in again, since access tokens expire.
func (w *shareWorld) advance(t *testing.T, d time.Duration) {
	t.Helper()
	w.Advance(d)
	for token, c := range w.clients {
		*token, _ = w.Token(t, map[string]string{"grant_type": "client_credentials", "client_id": c[0], "client_secret": c[1]})
	}
	w.workerTok, _ = w.Token(t, map[string]string{"grant_type": "password", "username": w.worker.SSN, "password": "worker-pass-1"})
}

// cstToday is the bureau's date now, moved by the app's clock, plus days.
func (w *shareWorld) cstDay(days int) string {
	return w.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, days).Format(time.DateOnly)
}

// issueCert issues a skill-level certificate to the worker through the certificates API; a
// non-empty validUntil is its last valid day.
func (w *shareWorld) issueCert(t *testing.T, no, validUntil string) {
	t.Helper()
	body := map[string]any{
		"certificate_no": no, "ssn": w.worker.SSN, "name": w.worker.Name, "type": "skill_level",
		"occupation_code": "6-18-01-01", "occupation_name": "焊工", "level": 3, "issued_on": w.cstDay(-30),
	}
	if validUntil != "" {
		body["valid_until"] = validUntil
	}
	res := w.As(w.eval).Do("POST", "/api/v1/certificates", body)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
}

type createdShare struct {
	ID        string    `json:"id"`
	Token     string    `json:"token"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// share creates a share as the worker and requires 201.
func (w *shareWorld) share(t *testing.T, body map[string]any) createdShare {
	t.Helper()
	res := w.As(w.workerTok).Do("POST", "/api/v1/me/shares", body)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	var c createdShare
	res.JSON(t, &c)
	return c
}

// accessEvents returns the worker's access events, newest first, from the access log.
func (w *shareWorld) accessEvents(t *testing.T) []access.Event {
	t.Helper()
	events, err := w.DB.Access(w.Keys).AccessEvents(context.Background(), w.workerID, 0, 100)
	require.NoError(t, err)
	return events
}

// problemWithoutRequestID is a problem body without its request id, to compare answers.
func problemWithoutRequestID(t *testing.T, res *apitest.Response) string {
	t.Helper()
	m := res.Map(t)
	delete(m, "request_id")
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

func TestShares_CreateListRevoke(t *testing.T) {
	w := newShareWorld(t)
	me := w.As(w.workerTok)
	before := w.Now()
	rec := w.share(t, map[string]any{"scope": "record", "expires_in_hours": 24})
	certs := w.share(t, map[string]any{"scope": "certificates", "expires_in_hours": 720, "audience_org_id": w.employerID})

	assert.Equal(t, w.Config.BaseURL()+"/api/v1/shared/"+rec.Token, rec.URL)
	assert.Len(t, rec.Token, 43, "32 random bytes in unpadded base64url")
	assert.NotEqual(t, rec.Token, certs.Token)
	assert.WithinDuration(t, before.Add(24*time.Hour), rec.ExpiresAt, 5*time.Second)
	assert.WithinDuration(t, before.Add(30*24*time.Hour), certs.ExpiresAt, 5*time.Second)

	res := me.Do("GET", "/api/v1/me/shares", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.NotContains(t, string(res.Body), rec.Token, "the list never shows a token")
	assert.NotContains(t, string(res.Body), certs.Token)
	var list struct {
		Items []map[string]any `json:"items"`
	}
	res.JSON(t, &list)
	require.Len(t, list.Items, 2)
	assert.Equal(t, certs.ID, list.Items[0]["id"], "newest first")
	assert.Equal(t, "certificates", list.Items[0]["scope"])
	assert.Equal(t, w.employerID, list.Items[0]["audience_org_id"])
	assert.Equal(t, "active", list.Items[0]["status"])
	assert.Equal(t, rec.ID, list.Items[1]["id"])
	assert.NotContains(t, list.Items[1], "audience_org_id")
	assert.NotContains(t, list.Items[1], "revoked_at")

	res = me.Do("DELETE", "/api/v1/me/shares/"+rec.ID, nil)
	require.Equal(t, http.StatusNoContent, res.Status)
	res = me.Do("DELETE", "/api/v1/me/shares/"+rec.ID, nil)
	assert.Equal(t, http.StatusNoContent, res.Status, "revoking again is harmless")

	w.advance(t, 25*time.Hour)
	me = w.As(w.workerTok)
	res = me.Do("GET", "/api/v1/me/shares?limit=1", nil)
	require.Equal(t, http.StatusOK, res.Status)
	first := res.Map(t)
	assert.Equal(t, "active", first["items"].([]any)[0].(map[string]any)["status"])
	next, ok := first["next_cursor"].(string)
	require.True(t, ok)
	res = me.Do("GET", "/api/v1/me/shares?limit=1&cursor="+next, nil)
	require.Equal(t, http.StatusOK, res.Status)
	second := res.Map(t)
	item := second["items"].([]any)[0].(map[string]any)
	assert.Equal(t, rec.ID, item["id"])
	assert.Equal(t, "revoked", item["status"], "revoked wins over expired")
	assert.Contains(t, item, "revoked_at")
	assert.Nil(t, second["next_cursor"])

	res = me.Do("DELETE", "/api/v1/me/shares/0190a1b2-0000-7000-8000-000000000001", nil)
	assert.Equal(t, http.StatusNotFound, res.Status)
	res = me.Do("GET", "/api/v1/me/shares?cursor=bm9wZQ", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
}

func TestShares_AWorkerCannotRevokeAnothersShare(t *testing.T) {
	w := newShareWorld(t)
	c := w.share(t, map[string]any{"scope": "record", "expires_in_hours": 1})
	_, _, other := w.WorkerToken(t, w.admin)

	unknown := w.As(other).Do("DELETE", "/api/v1/me/shares/0190a1b2-0000-7000-8000-000000000001", nil)
	res := w.As(other).Do("DELETE", "/api/v1/me/shares/"+c.ID, nil)
	require.Equal(t, http.StatusNotFound, res.Status)
	assert.Equal(t, problemWithoutRequestID(t, unknown), problemWithoutRequestID(t, res), "someone else's share is like no share")
	res = w.As(other).Do("GET", "/api/v1/me/shares", nil)
	assert.NotContains(t, string(res.Body), c.ID, "nor is it listed")

	res = w.As(w.employer).Do("GET", "/api/v1/shared/"+c.Token, nil)
	assert.Equal(t, http.StatusOK, res.Status, "the share still works")
}

func TestShares_TokenIsStoredOnlyAsItsHash(t *testing.T) {
	w := newShareWorld(t)
	c := w.share(t, map[string]any{"scope": "record", "expires_in_hours": 1})
	var hash []byte
	var n int
	require.NoError(t, w.DB.SQL().QueryRow("SELECT token_hash FROM shares WHERE id = ?", c.ID).Scan(&hash))
	sum := sha256.Sum256([]byte(c.Token))
	assert.Equal(t, sum[:], hash)
	require.NoError(t, w.DB.SQL().QueryRow(
		"SELECT COUNT(*) FROM shares WHERE CONCAT(id, worker_id, scope, token_hash) LIKE ?", "%"+c.Token+"%").Scan(&n))
	assert.Zero(t, n, "the token is nowhere in the row")
	assert.NotContains(t, w.Logs.String(), c.Token, "nor in the logs")
}

func TestShares_EmployerReadsTheRecordWithFullNameAndMaskedSSN(t *testing.T) {
	w := newShareWorld(t)
	c := w.share(t, map[string]any{"scope": "record", "expires_in_hours": 2})

	res := w.As(w.employer).Do("GET", "/api/v1/shared/"+c.Token, nil, "X-Request-ID", "req-share-0001")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	view := res.Map(t)
	assert.Equal(t, "record", view["scope"])
	worker := view["worker"].(map[string]any)
	assert.Equal(t, w.worker.Name, worker["name"], "the worker consented to show the name")
	assert.Equal(t, identity.MaskSSN(w.worker.SSN), worker["ssn_masked"])
	assert.NotContains(t, string(res.Body), w.worker.SSN)
	assert.NotContains(t, string(res.Body), w.worker.Card)
	for _, k := range []string{"credits", "counts", "recent_trainings", "certificates", "updated_at", "expires_at"} {
		assert.Contains(t, view, k)
	}

	events := w.accessEvents(t)
	require.Len(t, events, 1, "the read is an access event of the worker")
	e := events[0]
	assert.Equal(t, w.workerID, e.WorkerID)
	assert.Equal(t, "employer", e.ActorRole)
	assert.NotEmpty(t, e.ActorID)
	assert.Equal(t, w.employerID, e.OrgID)
	assert.Equal(t, access.WhatSharedRecord, e.What)
	assert.Equal(t, c.ID, e.Why, "why: the share")
	assert.Equal(t, "req-share-0001", e.RequestID)

	logs := w.Logs.String()
	assert.NotContains(t, logs, c.Token, "the token never reaches the log")
	assert.Contains(t, logs, `"route":"/api/v1/shared/:token"`)
}

func TestShares_ClosedTokensAnswerAlike(t *testing.T) {
	w := newShareWorld(t)
	bound := w.share(t, map[string]any{"scope": "record", "expires_in_hours": 3, "audience_org_id": w.employerID})
	revoked := w.share(t, map[string]any{"scope": "record", "expires_in_hours": 3})
	expiring := w.share(t, map[string]any{"scope": "certificates", "expires_in_hours": 1})
	res := w.As(w.workerTok).Do("DELETE", "/api/v1/me/shares/"+revoked.ID, nil)
	require.Equal(t, http.StatusNoContent, res.Status)

	// Before: the bound share works for its employer, the expiring one for anyone.
	require.Equal(t, http.StatusOK, w.As(w.employer).Do("GET", "/api/v1/shared/"+bound.Token, nil).Status)
	require.Equal(t, http.StatusOK, w.As(w.college).Do("GET", "/api/v1/shared/"+expiring.Token, nil).Status)

	unknown := w.As(w.college).Do("GET", "/api/v1/shared/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", nil)
	require.Equal(t, http.StatusNotFound, unknown.Status)
	want := problemWithoutRequestID(t, unknown)

	w.advance(t, time.Hour+time.Second)
	cases := map[string]*apitest.Response{
		"bound to another organisation": w.As(w.college).Do("GET", "/api/v1/shared/"+bound.Token, nil),
		"revoked":                       w.As(w.employer).Do("GET", "/api/v1/shared/"+revoked.Token, nil),
		"expired":                       w.As(w.college).Do("GET", "/api/v1/shared/"+expiring.Token, nil),
		"not a token":                   w.As(w.employer).Do("GET", "/api/v1/shared/not-a-token", nil),
	}
	for name, res := range cases {
		assert.Equal(t, http.StatusNotFound, res.Status, name)
		assert.Equal(t, want, problemWithoutRequestID(t, res), name)
	}
	require.Equal(t, http.StatusOK, w.As(w.employer).Do("GET", "/api/v1/shared/"+bound.Token, nil).Status, "still open to its employer")

	// Other roles may not read through shares at all.
	assert.Equal(t, http.StatusForbidden, w.As(w.eval).Do("GET", "/api/v1/shared/"+bound.Token, nil).Status)
	assert.Equal(t, http.StatusForbidden, w.As(w.workerTok).Do("GET", "/api/v1/shared/"+bound.Token, nil).Status)
	assert.Len(t, w.accessEvents(t), 3, "only the reads that were answered are access events")
}

func TestShares_CertificatesScopeShowsOnlyCertificates(t *testing.T) {
	w := newShareWorld(t)
	w.issueCert(t, "SH-2026-000001", "")
	w.issueCert(t, "SH-2026-000002", w.cstDay(365))
	c := w.share(t, map[string]any{"scope": "certificates", "expires_in_hours": 1, "audience_org_id": w.collegeID})

	res := w.As(w.college).Do("GET", "/api/v1/shared/"+c.Token, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	view := res.Map(t)
	keys := make([]string, 0, len(view))
	for k := range view {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"certificates", "expires_at", "scope", "worker"}, keys, "no credits, trainings or cards")
	assert.Equal(t, map[string]any{"name": w.worker.Name, "ssn_masked": identity.MaskSSN(w.worker.SSN)}, view["worker"])
	var nos []string
	for _, it := range view["certificates"].([]any) {
		cert := it.(map[string]any)
		nos = append(nos, cert["certificate_no"].(string))
		assert.Equal(t, "valid", cert["status"])
		assert.Equal(t, w.evalID, cert["issuer_org_id"])
	}
	assert.ElementsMatch(t, []string{"SH-2026-000001", "SH-2026-000002"}, nos)

	events := w.accessEvents(t)
	require.Len(t, events, 1)
	assert.Equal(t, access.WhatSharedCertificates, events[0].What)
	assert.Equal(t, w.collegeID, events[0].OrgID)
	assert.Equal(t, "college", events[0].ActorRole)
}

func TestShares_RequestBounds(t *testing.T) {
	w := newShareWorld(t)
	me := w.As(w.workerTok)
	for _, hours := range []any{1, 720} {
		res := me.Do("POST", "/api/v1/me/shares", map[string]any{"scope": "record", "expires_in_hours": hours})
		assert.Equal(t, http.StatusCreated, res.Status, "%v hours", hours)
	}
	cases := []struct {
		body  map[string]any
		field string
		code  string
	}{
		{map[string]any{"scope": "record", "expires_in_hours": 0}, "expires_in_hours", "invalid_lifetime"},
		{map[string]any{"scope": "record", "expires_in_hours": -1}, "expires_in_hours", "invalid_lifetime"},
		{map[string]any{"scope": "record", "expires_in_hours": 721}, "expires_in_hours", "invalid_lifetime"},
		{map[string]any{"scope": "record", "expires_in_hours": 1.5}, "expires_in_hours", "invalid_lifetime"},
		{map[string]any{"scope": "record"}, "expires_in_hours", "required"},
		{map[string]any{"expires_in_hours": 2}, "scope", "required"},
		{map[string]any{"scope": "credits", "expires_in_hours": 2}, "scope", "invalid_scope"},
		{map[string]any{"scope": "record", "expires_in_hours": 2, "audience_org_id": w.institutionID}, "audience_org_id", "invalid_audience"},
		{map[string]any{"scope": "record", "expires_in_hours": 2, "audience_org_id": w.evalID}, "audience_org_id", "invalid_audience"},
		{map[string]any{"scope": "record", "expires_in_hours": 2, "audience_org_id": "0190a1b2-0000-7000-8000-000000000001"}, "audience_org_id", "invalid_audience"},
	}
	for _, c := range cases {
		res := me.Do("POST", "/api/v1/me/shares", c.body)
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%v: %s", c.body, res.Body)
		var p struct {
			Errors []struct{ Field, Code string } `json:"errors"`
		}
		res.JSON(t, &p)
		require.NotEmpty(t, p.Errors, fmt.Sprint(c.body))
		assert.Equal(t, c.field, p.Errors[0].Field, "%v", c.body)
		assert.Equal(t, c.code, p.Errors[0].Code, "%v", c.body)
	}
	res := me.Do("POST", "/api/v1/me/shares", `{"scope":"record","expires_in_hours":2,"token":"mine"}`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, res.Status, "unknown fields are refused")
	res = me.Do("POST", "/api/v1/me/shares", `{"scope":"record",`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, res.Status)

	list := me.Do("GET", "/api/v1/me/shares", nil)
	assert.Len(t, list.Map(t)["items"], 2, "nothing stored for the refused requests")
}
