package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/audit"
	"skillrecord/internal/worker"
)

// eventsOf returns the stored audit events of the request requestID (whatever their action).
func (f *trainFixture) eventsOf(t *testing.T, requestID string) []audit.Event {
	t.Helper()
	all, err := f.app.DB.Audit().Events(context.Background(), audit.Filter{}, 0, 10_000)
	require.NoError(t, err)
	var out []audit.Event
	for _, e := range all {
		if e.RequestID == requestID {
			out = append(out, e)
		}
	}
	return out
}

// exec runs statements on the test database.
func (f *trainFixture) exec(t *testing.T, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		_, err := f.app.DB.SQL().Exec(s)
		require.NoError(t, err, s)
	}
}

// failAuditOf makes every successful event of action fail to insert, as a full disk or a lost
// connection would, leaving refusals and failures recordable.
func (f *trainFixture) failAuditOf(t *testing.T, action string) {
	f.exec(t, `CREATE TRIGGER audit_test_fail BEFORE INSERT ON audit_events FOR EACH ROW
		BEGIN
			IF NEW.action = '`+action+`' AND NEW.status < 400 THEN
				SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit insert refused by the test';
			END IF;
		END`)
}

func TestAuditInTx_AFailedEventInsertRollsTheWriteBack(t *testing.T) {
	f := newTrainFixture(t, 3)
	f.failAuditOf(t, "training.batch_post")
	records := []map[string]any{}
	for i, p := range f.people {
		records = append(records, trainingRecord(p, fmt.Sprintf("TX-%d", i)))
	}
	id := rid()
	// Sent past the contract check: the contract lists no 5xx answers.
	body, err := json.Marshal(map[string]any{"records": records})
	require.NoError(t, err)
	req := httptest.NewRequest("POST", batchPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", f.inst.Header.Get("Authorization"))
	req.Header.Set("X-Request-ID", id)
	rec := httptest.NewRecorder()
	f.app.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusInternalServerError, rec.Code, "%s", rec.Body)
	assert.Contains(t, rec.Body.String(), `"code":"internal"`)
	assert.Zero(t, f.count(t, "trainings"), "no record without its audit event")
	assert.Zero(t, f.count(t, "credit_entries"), "no ledger entry either")
	for _, p := range f.people {
		assert.Zero(t, f.balance(t, p))
	}

	events := f.eventsOf(t, id)
	require.Len(t, events, 1, "the failure is recorded by the middleware")
	assert.Equal(t, http.StatusInternalServerError, events[0].Status)
	assert.Equal(t, "internal", events[0].Code)

	f.exec(t, "DROP TRIGGER audit_test_fail")
	again := rid()
	res := postBatch(t, f.inst, map[string]any{"records": records}, "X-Request-ID", again)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, 3, f.count(t, "trainings"))
	require.Len(t, f.eventsOf(t, again), 1)
}

func TestAuditInTx_ASuccessfulWriteHasExactlyOneEvent(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]
	workerID := f.workerID(t, p)

	post := rid()
	res := f.inst.Do("POST", trainingsPath, trainingRecord(p, "ONE-1"), "X-Request-ID", post)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	trainingID := res.Map(t)["id"].(string)
	events := f.eventsOf(t, post)
	require.Len(t, events, 1, "committed with the write, not again by the middleware")
	e := events[0]
	assert.Equal(t, "training.post", e.Action)
	assert.Equal(t, "training_institution", e.ActorRole)
	assert.Equal(t, f.instID, e.OrgID)
	assert.NotEmpty(t, e.ActorID)
	assert.Equal(t, http.StatusCreated, e.Status)
	assert.Empty(t, e.Code)
	assert.Equal(t, []string{workerID}, e.WorkerIDs)

	replay := rid()
	res = f.inst.Do("POST", trainingsPath, trainingRecord(p, "ONE-1"), "X-Request-ID", replay)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	events = f.eventsOf(t, replay)
	require.Len(t, events, 1, "a replay writes nothing and is recorded by the middleware")
	assert.Equal(t, http.StatusOK, events[0].Status)

	void := rid()
	res = f.inst.Do("POST", trainingsPath+"/"+trainingID+"/void", map[string]any{"reason": "录入错误"}, "X-Request-ID", void)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	events = f.eventsOf(t, void)
	require.Len(t, events, 1)
	assert.Equal(t, "training.void", events[0].Action)
	assert.Equal(t, http.StatusOK, events[0].Status)
	assert.Equal(t, "id="+trainingID, events[0].Target)
	assert.Equal(t, []string{workerID}, events[0].WorkerIDs)

	org := rid()
	res = f.app.As(f.admin).Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "事务审计学院", "type": "college", "credit_code": apitest.CreditCode(), "region_code": "370400"}, "X-Request-ID", org)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	events = f.eventsOf(t, org)
	require.Len(t, events, 1)
	assert.Equal(t, "organization.create", events[0].Action)
	assert.Equal(t, http.StatusCreated, events[0].Status)
}

func TestAuditInTx_RefusedWritesKeepTheirEventFromTheMiddleware(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]
	res := f.inst.Do("POST", trainingsPath, trainingRecord(p, "REF-1"), "X-Request-ID", rid())
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	trainingID := res.Map(t)["id"].(string)
	_, workerID, workerTok := f.app.WorkerToken(t, f.admin)

	bad := trainingRecord(p, "REF-2")
	bad["hours"] = -1
	void := map[string]any{"reason": "录入错误"}
	for name, c := range map[string]struct {
		client *apitest.Client
		path   string
		body   any
		status int
		code   string
		action string
	}{
		"invalid":   {f.inst, batchPath, map[string]any{"records": []any{bad}}, http.StatusUnprocessableEntity, "invalid_batch", "training.batch_post"},
		"forbidden": {f.app.As(workerTok), trainingsPath, trainingRecord(p, "REF-3"), http.StatusForbidden, "forbidden", "training.post"},
		"conflict":  {f.inst, trainingsPath + "/" + trainingID + "/void", void, http.StatusConflict, "already_void", "training.void"},
	} {
		if name == "conflict" {
			require.Equal(t, http.StatusOK, f.inst.Do("POST", c.path, void).Status)
		}
		id := rid()
		res := c.client.Do("POST", c.path, c.body, "X-Request-ID", id)
		require.Equal(t, c.status, res.Status, "%s: %s", name, res.Body)
		events := f.eventsOf(t, id)
		require.Len(t, events, 1, name)
		assert.Equal(t, c.status, events[0].Status, name)
		assert.Equal(t, c.code, events[0].Code, name)
		assert.Equal(t, c.action, events[0].Action, name)
		if name == "forbidden" {
			assert.Equal(t, workerID, events[0].ActorID)
		}
	}
}

func TestAuditInTx_ABatchOfAThousandHasOneEventWithEveryWorker(t *testing.T) {
	f := newTrainFixture(t, 1000)
	records := make([]map[string]any, len(f.people))
	for i, p := range f.people {
		records[i] = trainingRecord(p, fmt.Sprintf("K-%04d", i))
	}
	id := rid()
	res := postBatch(t, f.inst, map[string]any{"records": records}, "X-Request-ID", id)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	require.Equal(t, 1000, f.count(t, "trainings"))

	events := f.eventsOf(t, id)
	require.Len(t, events, 1)
	e := events[0]
	assert.Equal(t, "training.batch_post", e.Action)
	assert.Equal(t, http.StatusOK, e.Status)
	rows, err := f.app.DB.SQL().Query("SELECT DISTINCT worker_id FROM trainings ORDER BY worker_id")
	require.NoError(t, err)
	defer rows.Close()
	var want []string
	for rows.Next() {
		var w string
		require.NoError(t, rows.Scan(&w))
		want = append(want, w)
	}
	require.NoError(t, rows.Err())
	require.Len(t, want, 1000)
	got := slices.Clone(e.WorkerIDs)
	slices.Sort(got)
	assert.Equal(t, want, got, "every worker of the batch is in its event")
}

func TestAuditInTx_ATransactionRetriedAfterADeadlockStoresOneEvent(t *testing.T) {
	f := newTrainFixture(t, 1)
	// The first insert of a training event fails as a deadlock victim would (1213); the
	// MyISAM table remembers it across the rollback, so the retry succeeds.
	f.exec(t, "CREATE TABLE audit_test_failed (n INT) ENGINE=MyISAM",
		`CREATE TRIGGER audit_test_deadlock BEFORE INSERT ON audit_events FOR EACH ROW
		BEGIN
			IF NEW.action = 'training.post' AND (SELECT COUNT(*) FROM audit_test_failed) = 0 THEN
				INSERT INTO audit_test_failed VALUES (1);
				SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock (test)';
			END IF;
		END`)
	id := rid()
	res := f.inst.Do("POST", trainingsPath, trainingRecord(f.people[0], "DL-1"), "X-Request-ID", id)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, 1, f.count(t, "audit_test_failed"), "the first attempt was rolled back")
	assert.Equal(t, 1, f.count(t, "trainings"))
	events := f.eventsOf(t, id)
	require.Len(t, events, 1, "the retry appended the event once")
	assert.Equal(t, http.StatusCreated, events[0].Status)
	assert.Equal(t, []string{f.workerID(t, f.people[0])}, events[0].WorkerIDs)
}

// rawDo sends a request past the contract check (the contract lists no 5xx answers).
func (f *trainFixture) rawDo(t *testing.T, method, path, token string, body any, requestID string) *httptest.ResponseRecorder {
	t.Helper()
	var raw []byte
	contentType := "application/json"
	switch b := body.(type) {
	case string:
		raw, contentType = []byte(b), "text/csv"
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(t, err)
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("X-Request-ID", requestID)
	rec := httptest.NewRecorder()
	f.app.Handler().ServeHTTP(rec, req)
	return rec
}

func (f *trainFixture) scalar(t *testing.T, query string, args ...any) string {
	t.Helper()
	var v *string
	require.NoError(t, f.app.DB.SQL().QueryRow(query, args...).Scan(&v))
	if v == nil {
		return "NULL"
	}
	return *v
}

// TestAuditInTx_EveryWriteCommitsWithItsEvent makes each write use case's audit insert fail and
// checks that the write is not committed (500), then lets it through and checks that it has
// exactly one event, with the success status. Logout is not here: its event is recorded by the
// middleware (see auth.Service.Logout).
func TestAuditInTx_EveryWriteCommitsWithItsEvent(t *testing.T) {
	f := newTrainFixture(t, 2)
	p, helper := f.people[0], f.people[1]
	signer, _, workerTok := f.app.WorkerToken(t, f.admin)
	res := f.inst.Do("POST", trainingsPath, trainingRecord(p, "ALL-0"), "X-Request-ID", rid())
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	res = f.inst.Do("POST", trainingsPath, trainingRecord(p, "ALL-1"), "X-Request-ID", rid())
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	toVoid := res.Map(t)["id"].(string)
	_, evalTok := f.app.OrgToken(t, f.admin, "evaluation_org")
	_, collegeTok := f.app.OrgToken(t, f.admin, "college")
	orgID := f.app.CreateOrg(t, f.admin, "employer")
	cert := func(no string) map[string]any {
		return map[string]any{"certificate_no": no, "ssn": p.SSN, "name": p.Name, "type": "skill_level",
			"occupation_code": "6-18-01-01", "occupation_name": "焊工", "level": 3, "issued_on": "2026-01-10"}
	}
	require.Equal(t, http.StatusCreated, f.app.As(evalTok).Do("POST", "/api/v1/certificates", cert("CERT-TX-0")).Status)
	res = f.app.As(workerTok).Do("POST", "/api/v1/me/shares", map[string]any{"scope": "record", "expires_in_hours": 24})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	shareID := res.Map(t)["id"].(string)
	newcomer := apitest.NewPerson()
	f.app.Register(t, f.admin, newcomer)
	instTok := strings.TrimPrefix(f.inst.Header.Get("Authorization"), "Bearer ")
	var certNo string
	require.NoError(t, f.app.DB.SQL().QueryRow("SELECT certificate_no FROM certificates LIMIT 1").Scan(&certNo))

	for _, c := range []struct {
		action, method, path, token string
		body                        any
		status                      int
		state                       func() string // what the write changes
	}{
		{"training.post", "POST", trainingsPath, instTok, trainingRecord(helper, "ALL-2"), http.StatusCreated,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM trainings") }},
		{"training.void", "POST", trainingsPath + "/" + toVoid + "/void", instTok, map[string]any{"reason": "录入错误"}, http.StatusOK,
			func() string { return f.scalar(t, "SELECT status FROM trainings WHERE id = ?", toVoid) }},
		{"certificate.issue", "POST", "/api/v1/certificates", evalTok, cert("CERT-TX-1"), http.StatusCreated,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM certificates") }},
		{"certificate.revoke", "POST", "/api/v1/certificates/" + certNo + "/revoke", evalTok, map[string]any{"reason": "证书信息有误"}, http.StatusOK,
			func() string {
				return f.scalar(t, "SELECT revoked_at FROM certificates WHERE certificate_no = ?", certNo)
			}},
		{"conversion.create", "POST", "/api/v1/credit-conversions", collegeTok, map[string]any{
			"external_id": "EDU-TX-1", "ssn": p.SSN, "name": p.Name, "credits": 1, "program": "机电一体化", "academic_credits": 1}, http.StatusCreated,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM credit_conversions") }},
		{"organization.create", "POST", "/api/v1/admin/organizations", f.admin, map[string]any{
			"name": "事务测试学院", "type": "college", "credit_code": apitest.CreditCode(), "region_code": "370400"}, http.StatusCreated,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM organizations") }},
		{"organization.update", "PATCH", "/api/v1/admin/organizations/" + orgID, f.admin, map[string]any{"status": "suspended", "reason": "年检"}, http.StatusOK,
			func() string { return f.scalar(t, "SELECT status FROM organizations WHERE id = ?", orgID) }},
		{"organization.client_create", "POST", "/api/v1/admin/organizations/" + orgID + "/clients", f.admin, map[string]any{}, http.StatusCreated,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM org_clients") }},
		{"cardholder.import", "POST", "/api/v1/admin/cardholders/import", f.admin,
			"ssn,name,card_number,issue_area,card_status,issued_on\n" + func() string {
				q := apitest.NewPerson()
				return q.SSN + "," + q.Name + "," + q.Card + ",370400,active,2020-01-15\n"
			}(), http.StatusOK,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM workers") }},
		{"worker.activate", "POST", "/api/v1/workers/activate", "", map[string]any{
			"ssn": newcomer.SSN, "name": newcomer.Name, "card_number": newcomer.Card, "password": "worker-pass-1"}, http.StatusCreated,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM workers WHERE activated_at IS NOT NULL") }},
		{"auth.token", "POST", "/api/v1/auth/token", "", map[string]any{
			"grant_type": "password", "username": signer.SSN, "password": "worker-pass-1"}, http.StatusOK,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM refresh_tokens") }},
		{"share.create", "POST", "/api/v1/me/shares", workerTok, map[string]any{"scope": "certificates", "expires_in_hours": 48}, http.StatusCreated,
			func() string { return f.scalar(t, "SELECT COUNT(*) FROM shares") }},
		{"share.revoke", "DELETE", "/api/v1/me/shares/" + shareID, workerTok, nil, http.StatusNoContent,
			func() string { return f.scalar(t, "SELECT revoked_at FROM shares WHERE id = ?", shareID) }},
	} {
		t.Run(c.action, func(t *testing.T) {
			before := c.state()
			f.failAuditOf(t, c.action)
			dropped := false
			defer func() {
				if !dropped {
					f.exec(t, "DROP TRIGGER audit_test_fail")
				}
			}()
			failed := rid()
			rec := f.rawDo(t, c.method, c.path, c.token, c.body, failed)
			require.Equal(t, http.StatusInternalServerError, rec.Code, "%s", rec.Body)
			assert.Equal(t, before, c.state(), "nothing committed without its event")
			f.exec(t, "DROP TRIGGER audit_test_fail")
			dropped = true

			done := rid()
			rec = f.rawDo(t, c.method, c.path, c.token, c.body, done)
			require.Equal(t, c.status, rec.Code, "%s: %s", c.action, rec.Body)
			assert.NotEqual(t, before, c.state(), "the write committed")
			events := f.eventsOf(t, done)
			require.Len(t, events, 1, c.action)
			assert.Equal(t, c.action, events[0].Action)
			assert.Equal(t, c.status, events[0].Status, c.action)
		})
	}
}

func TestAuditInTx_AnImportOfManyChunksHasOneEvent(t *testing.T) {
	f := newTrainFixture(t, 0)
	var b strings.Builder
	b.WriteString("ssn,name,card_number,issue_area,card_status,issued_on\n")
	for range worker.ChunkSize*2 + 1 {
		q := apitest.NewPerson()
		fmt.Fprintf(&b, "%s,%s,%s,370400,active,2020-01-15\n", q.SSN, q.Name, q.Card)
	}
	id := rid()
	res := f.app.As(f.admin).Do("POST", "/api/v1/admin/cardholders/import", b.String(), "Content-Type", "text/csv", "X-Request-ID", id)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	m := res.Map(t)
	assert.EqualValues(t, worker.ChunkSize*2+1, m["imported"].(float64)+m["updated"].(float64), "three chunks written")
	events := f.eventsOf(t, id)
	require.Len(t, events, 1, "committed with the first chunk; the later chunks add none")
	assert.Equal(t, "cardholder.import", events[0].Action)
	assert.Equal(t, http.StatusOK, events[0].Status)
}
