package httpapi_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/audit"
	"skillrecord/internal/httpapi"
)

// auditFixture is the whole service with the audit middleware in front of /api/v1.
type auditFixture struct {
	*apitest.App
	h http.Handler
}

func newAuditFixture(t *testing.T) *auditFixture {
	a := apitest.NewApp(t)
	log := slog.New(slog.NewJSONHandler(a.Logs, nil))
	return &auditFixture{App: a, h: httpapi.WithAuditTrail(a.Handler(), log, a.DB.Audit(), a.Now)}
}

// client sends requests through the audit trail, with token if any.
func (f *auditFixture) client(t *testing.T, token string) *apitest.Client {
	c := apitest.New(t, f.h)
	if token != "" {
		c.Header.Set("Authorization", "Bearer "+token)
	}
	return c
}

var auditAdminSeq atomic.Int64

// admin creates and signs in an admin; it returns the admin's id and token.
func (f *auditFixture) admin(t *testing.T) (string, string) {
	name := fmt.Sprintf("auditor-%d-%d", time.Now().UnixNano()%1_000_000, auditAdminSeq.Add(1))
	adm := f.CreateAdmin(t, name, "admin-pass-2026")
	tok, _ := f.Token(t, map[string]string{"grant_type": "password", "username": name, "password": "admin-pass-2026"})
	return adm.ID, tok
}

// orgClient creates an organisation of typ with a client; it returns the organisation id,
// the client id (the principal id of its tokens) and a token.
func (f *auditFixture) orgClient(t *testing.T, admin, typ string) (orgID, clientID, token string) {
	orgID = f.CreateOrg(t, admin, typ)
	clientID, secret := f.CreateClient(t, admin, orgID)
	token, _ = f.Token(t, map[string]string{"grant_type": "client_credentials", "client_id": clientID, "client_secret": secret})
	return orgID, clientID, token
}

// rid makes a request id to find a request's event by.
func rid() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "test-" + hex.EncodeToString(b)
}

type auditEventView struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor_id"`
	ActorRole string    `json:"actor_role"`
	OrgID     string    `json:"org_id"`
	Action    string    `json:"action"`
	Target    string    `json:"target"`
	WorkerIDs []string  `json:"worker_ids"`
	RequestID string    `json:"request_id"`
	ClientIP  string    `json:"client_ip"`
	Status    int       `json:"status"`
	Code      string    `json:"code"`
}

// events lists every audit event matching query (following next_cursor) and the raw pages.
func (f *auditFixture) events(t *testing.T, admin string, query url.Values) ([]auditEventView, string) {
	t.Helper()
	var (
		out []auditEventView
		raw strings.Builder
	)
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	for range 50 {
		res := f.client(t, admin).Do("GET", "/api/v1/admin/audit-events?"+q.Encode(), nil)
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		raw.Write(res.Body)
		var page struct {
			Items      []auditEventView `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		res.JSON(t, &page)
		out = append(out, page.Items...)
		if page.NextCursor == nil {
			return out, raw.String()
		}
		q.Set("cursor", *page.NextCursor)
	}
	t.Fatal("too many pages")
	return nil, ""
}

// eventFor returns the one event of the request with requestID among those matching query.
func (f *auditFixture) eventFor(t *testing.T, admin string, query url.Values, requestID string) auditEventView {
	t.Helper()
	events, _ := f.events(t, admin, query)
	var found []auditEventView
	for _, e := range events {
		if e.RequestID == requestID {
			found = append(found, e)
		}
	}
	require.Lenf(t, found, 1, "one event for request %s among %d matching %v", requestID, len(events), query)
	return found[0]
}

func TestAuditTrail_RecordsAWriteWithActorActionTargetAndOutcome(t *testing.T) {
	f := newAuditFixture(t)
	adminID, admin := f.admin(t)
	c := f.client(t, admin)
	code := apitest.CreditCode()
	create := rid()
	res := c.Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "审计测试学院", "type": "college", "credit_code": code, "region_code": "370400"}, "X-Request-ID", create)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	orgID := res.Map(t)["id"].(string)
	patch := rid()
	res = c.Do("PATCH", "/api/v1/admin/organizations/"+orgID, map[string]any{"status": "suspended", "reason": "年检"}, "X-Request-ID", patch)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))

	e := f.eventFor(t, admin, url.Values{"actor": {adminID}, "action": {"organization.create"}}, create)
	assert.Equal(t, "admin", e.ActorRole)
	assert.Equal(t, http.StatusCreated, e.Status)
	assert.Empty(t, e.Code)
	assert.Empty(t, e.Target)
	assert.NotEmpty(t, e.ClientIP)
	assert.WithinDuration(t, f.Now(), e.At, time.Minute)

	e = f.eventFor(t, admin, url.Values{"action": {"organization.update"}}, patch)
	assert.Equal(t, adminID, e.ActorID)
	assert.Equal(t, "id="+orgID, e.Target)
	assert.Equal(t, http.StatusOK, e.Status)

	_, raw := f.events(t, admin, url.Values{"actor": {adminID}})
	assert.NotContains(t, raw, code, "no request body in the trail")
	assert.NotContains(t, raw, "审计测试学院")
	assert.NotContains(t, raw, "年检")
}

func TestAuditTrail_RecordsRefusedAndFailedWrites(t *testing.T) {
	f := newAuditFixture(t)
	_, admin := f.admin(t)
	p, workerID, workerTok := f.WorkerToken(t, admin)
	collegeOrg, collegeID, college := f.orgClient(t, admin, "college")

	forbidden := rid()
	res := f.client(t, workerTok).Do("POST", "/api/v1/admin/organizations", map[string]any{"name": "x"}, "X-Request-ID", forbidden)
	require.Equal(t, http.StatusForbidden, res.Status)
	e := f.eventFor(t, admin, url.Values{"actor": {workerID}}, forbidden)
	assert.Equal(t, "worker", e.ActorRole)
	assert.Equal(t, "organization.create", e.Action)
	assert.Equal(t, http.StatusForbidden, e.Status)
	assert.Equal(t, "forbidden", e.Code)

	anonymous := rid()
	res = f.client(t, "").Do("POST", "/api/v1/trainings", map[string]any{"ssn": p.SSN}, "X-Request-ID", anonymous)
	require.Equal(t, http.StatusUnauthorized, res.Status)
	e = f.eventFor(t, admin, url.Values{"actor": {audit.ActorAnonymous}, "action": {"training.post"}}, anonymous)
	assert.Equal(t, audit.ActorAnonymous, e.ActorRole)
	assert.Equal(t, "unauthenticated", e.Code)

	invalid := rid()
	res = f.client(t, admin).Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "坏代码", "type": "college", "credit_code": "91350100M000100Y44", "region_code": "370400"}, "X-Request-ID", invalid)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	e = f.eventFor(t, admin, url.Values{"action": {"organization.create"}}, invalid)
	assert.Equal(t, http.StatusUnprocessableEntity, e.Status)
	assert.Equal(t, res.Map(t)["code"], e.Code)

	short := rid()
	res = f.client(t, college).Do("POST", "/api/v1/credit-conversions", map[string]any{
		"external_id": "EDU-1", "ssn": p.SSN, "name": p.Name, "credits": 1, "program": "x", "academic_credits": 1}, "X-Request-ID", short)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	e = f.eventFor(t, admin, url.Values{"actor": {collegeID}, "action": {"conversion.create"}}, short)
	assert.Equal(t, "college", e.ActorRole)
	assert.Equal(t, collegeOrg, e.OrgID)
	assert.Equal(t, "insufficient_credits", e.Code)

	_, raw := f.events(t, admin, url.Values{})
	for _, secret := range []string{p.SSN, p.Name, p.Card, workerTok, college} {
		assert.NotContains(t, raw, secret, "no personal data or token in the trail")
	}
}

func TestAuditTrail_AdminReadsAreRecordedWorkersOwnReadsAreNot(t *testing.T) {
	f := newAuditFixture(t)
	adminID, admin := f.admin(t)
	_, workerID, workerTok := f.WorkerToken(t, admin)
	_, employerID, employer := f.orgClient(t, admin, "employer")

	list := rid()
	res := f.client(t, admin).Do("GET", "/api/v1/admin/organizations?limit=1", nil, "X-Request-ID", list)
	require.Equal(t, http.StatusOK, res.Status)
	e := f.eventFor(t, admin, url.Values{"actor": {adminID}, "action": {"organization.list"}}, list)
	assert.Equal(t, http.StatusOK, e.Status)

	require.Equal(t, http.StatusOK, f.client(t, workerTok).Do("GET", "/api/v1/me/record", nil).Status)
	f.client(t, employer).Do("POST", "/api/v1/verify/certificates", map[string]any{"certificate_no": "NO-SUCH-1", "name": "张三"})
	for _, actor := range []string{workerID, employerID} {
		events, _ := f.events(t, admin, url.Values{"actor": {actor}})
		assert.Empty(t, events, "reads that are not admin actions leave no audit event (the access log has them)")
	}
}

func TestAuditEvents_FiltersAndPages(t *testing.T) {
	f := newAuditFixture(t)
	_, admin := f.admin(t)
	actor, worker := "actor-"+rid(), "worker-"+rid()[5:]
	// 2001-01-01 in China time: 16:00 UTC on 2000-12-31 to 16:00 UTC on 2001-01-01.
	base := time.Date(2000, 12, 31, 15, 0, 0, 0, time.UTC)
	var ids []int64
	for i, action := range []string{"training.post", "training.void", "training.post", "certificate.issue", "training.post"} {
		e := audit.Event{At: base.Add(time.Duration(i) * time.Hour), ActorID: actor, ActorRole: "training_institution",
			Action: action, RequestID: rid(), ClientIP: "192.0.2.1", Status: 201}
		if i%2 == 0 {
			e.WorkerIDs = []string{worker}
		}
		id, err := f.DB.Audit().Append(context.Background(), e)
		require.NoError(t, err)
		ids = append(ids, id)
	}
	idsOf := func(q url.Values) []int64 {
		events, _ := f.events(t, admin, q)
		out := []int64{}
		for _, e := range events {
			out = append(out, e.ID)
		}
		return out
	}
	assert.Equal(t, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}, idsOf(url.Values{"actor": {actor}}), "newest first")
	assert.Equal(t, []int64{ids[4], ids[2], ids[0]}, idsOf(url.Values{"actor": {actor}, "action": {"training.post"}}))
	assert.Equal(t, []int64{ids[4], ids[2], ids[0]}, idsOf(url.Values{"worker_id": {worker}}))
	assert.Equal(t, []int64{ids[4], ids[3], ids[2], ids[1]}, idsOf(url.Values{"actor": {actor}, "from": {"2001-01-01"}, "to": {"2001-01-01"}}), "a China day")
	assert.Equal(t, []int64{ids[0]}, idsOf(url.Values{"actor": {actor}, "to": {"2000-12-31"}}))
	assert.Equal(t, []int64{ids[3], ids[2], ids[1]}, idsOf(url.Values{"actor": {actor},
		"from": {"2000-12-31T16:00:00Z"}, "to": {"2001-01-01T02:00:00+08:00"}}), "times, both inclusive")
	assert.Equal(t, []int64{}, idsOf(url.Values{"actor": {actor}, "from": {"2001-01-02"}}))

	// Pages of two.
	var pages [][]int64
	q := url.Values{"actor": {actor}, "limit": {"2"}}
	for range 5 {
		res := f.client(t, admin).Do("GET", "/api/v1/admin/audit-events?"+q.Encode(), nil)
		require.Equal(t, http.StatusOK, res.Status)
		var page struct {
			Items      []auditEventView `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		res.JSON(t, &page)
		var got []int64
		for _, e := range page.Items {
			got = append(got, e.ID)
		}
		pages = append(pages, got)
		if page.NextCursor == nil {
			break
		}
		q.Set("cursor", *page.NextCursor)
	}
	assert.Equal(t, [][]int64{{ids[4], ids[3]}, {ids[2], ids[1]}, {ids[0]}}, pages)

	for query, code := range map[string]string{
		"from=yesterday":                "invalid_date",
		"to=2001-02-30":                 "invalid_date",
		"from=2001-01-02&to=2001-01-01": "invalid_range",
		"cursor=bm90LWEtY3Vyc29y":       "invalid_cursor",
		"limit=0":                       "invalid_limit",
	} {
		res := f.client(t, admin).Do("GET", "/api/v1/admin/audit-events?"+query, nil)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Status, query)
		assert.Equal(t, code, res.Map(t)["code"], query)
	}
}

func TestAuditRoutes_OnlyAdminsReadTheTrailAndNothingChangesIt(t *testing.T) {
	f := newAuditFixture(t)
	_, admin := f.admin(t)
	_, _, employer := f.orgClient(t, admin, "employer")
	assert.Equal(t, http.StatusForbidden, f.client(t, employer).Do("GET", "/api/v1/admin/audit-events", nil).Status)

	for route := range httpapi.AccessTable() {
		if strings.Contains(route, "audit-events") || strings.Contains(route, "access-log") {
			assert.True(t, strings.HasPrefix(route, "GET "), "%s: the trails are read-only", route)
		}
	}
	for _, r := range f.Handler().(*gin.Engine).Routes() {
		if strings.Contains(r.Path, "audit-events") || strings.Contains(r.Path, "access-log") {
			assert.Equal(t, "GET", r.Method, r.Path)
		}
	}
	for _, method := range []string{"DELETE", "PATCH", "PUT"} {
		res := f.client(t, admin).Do(method, "/api/v1/admin/audit-events", nil)
		assert.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, res.Status, method)
	}
}

func TestAuditActions_EveryRouteHasOneStableWord(t *testing.T) {
	actions := httpapi.AuditActions()
	seen := map[string]string{}
	for route := range httpapi.AccessTable() {
		a, ok := actions[route]
		if assert.Truef(t, ok, "%s has no audit action", route) {
			assert.Regexp(t, `^[a-z_]+\.[a-z_]+$`, a)
			if other, dup := seen[a]; dup {
				t.Errorf("%s and %s share the action %s", route, other, a)
			}
			seen[a] = route
		}
	}
	assert.Equal(t, "training.post", httpapi.ActionOf("POST", "/api/v1/trainings"))
	assert.Equal(t, "things.parts.post", httpapi.ActionOf("POST", "/api/v1/things/:id/parts"), "a route missing from the table still gets a stable word")
}

func TestAuditTarget_LeavesOutTokensAndAnythingLikeAnSSN(t *testing.T) {
	for want, params := range map[string]gin.Params{
		"id=0190a1b2-0000-7000-8000-000000000001": {{Key: "id", Value: "0190a1b2-0000-7000-8000-000000000001"}},
		"no=ZZ-2026-000123":                       {{Key: "no", Value: "ZZ-2026-000123"}},
		"":                                        {{Key: "token", Value: "s3cr3t-share-token"}},
		"id=[redacted]":                           {{Key: "id", Value: "11010519491231002X"}},
		"no=[redacted]":                           {{Key: "no", Value: "张三"}},
	} {
		assert.Equal(t, want, httpapi.TargetOf(params))
	}
}
