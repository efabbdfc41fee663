package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/identity"
)

type accessLogPage struct {
	Items []struct {
		At        time.Time `json:"at"`
		ActorRole string    `json:"actor_role"`
		OrgID     string    `json:"org_id"`
		OrgName   string    `json:"org_name"`
		What      string    `json:"what"`
		Why       string    `json:"why"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func myAccessLog(t *testing.T, c *apitest.Client, query string) (accessLogPage, string) {
	t.Helper()
	res := c.Do("GET", "/api/v1/me/access-log"+query, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	var p accessLogPage
	res.JSON(t, &p)
	return p, string(res.Body)
}

func TestAdminWorkerRecord_NeedsAReasonAndLeavesBothTrails(t *testing.T) {
	f := newAuditFixture(t)
	adminID, admin := f.admin(t)
	p, workerID, workerTok := f.WorkerToken(t, admin)
	_, _, otherTok := f.WorkerToken(t, admin)
	earn(t, f.App, workerID, "t-1", 160)
	c := f.client(t, admin)
	const reason = "投诉核查 2026-117 号"

	for name, body := range map[string]map[string]any{
		"no reason":       {"ssn": p.SSN},
		"blank reason":    {"ssn": p.SSN, "reason": "  "},
		"reason too long": {"ssn": p.SSN, "reason": strings.Repeat("因", 501)},
	} {
		res := c.Do("POST", "/api/v1/admin/workers/record", body)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Status, name)
		assert.Equal(t, "reason_required", res.Map(t)["code"], name)
	}
	res := c.Do("POST", "/api/v1/admin/workers/record", map[string]any{"ssn": "3704021234", "reason": reason})
	assert.Equal(t, "invalid_ssn", res.Map(t)["code"])
	unknown := identity.MakeSSN("370402", time.Date(1960, 2, 2, 0, 0, 0, 0, time.UTC), 999)
	res = c.Do("POST", "/api/v1/admin/workers/record", map[string]any{"ssn": string(unknown), "reason": reason})
	assert.Equal(t, http.StatusNotFound, res.Status)
	res = c.Do("POST", "/api/v1/admin/workers/record", map[string]any{"ssn": p.SSN, "reason": reason, "why": "x"})
	assert.Equal(t, http.StatusBadRequest, res.Status, "unknown fields")
	none, _ := myAccessLog(t, f.client(t, workerTok), "")
	assert.Empty(t, none.Items, "refused look-ups read nothing")

	read := rid()
	res = c.Do("POST", "/api/v1/admin/workers/record", map[string]any{"ssn": p.SSN, "reason": reason}, "X-Request-ID", read)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	rec := res.Map(t)
	assert.Equal(t, workerID, rec["worker_id"])
	w := rec["worker"].(map[string]any)
	assert.Equal(t, p.SSN, w["ssn"], "the bureau sees the SSN it gave in full")
	assert.Equal(t, p.SSN[:6]+"********"+p.SSN[14:], w["ssn_masked"])
	assert.Equal(t, p.Name, w["name"])
	assert.NotContains(t, string(res.Body), p.Card, "card numbers stay masked")
	assert.EqualValues(t, 10, rec["credits"].(map[string]any)["balance"])

	// The worker sees the read in their access log, with the reason; nobody else does.
	log, raw := myAccessLog(t, f.client(t, workerTok), "")
	require.Len(t, log.Items, 1)
	got := log.Items[0]
	assert.Equal(t, "admin", got.ActorRole)
	assert.Equal(t, "admin_record", got.What)
	assert.Equal(t, reason, got.Why)
	assert.WithinDuration(t, f.Now(), got.At, time.Minute)
	assert.NotContains(t, raw, adminID, "the reader's own account id is not shown")
	other, _ := myAccessLog(t, f.client(t, otherTok), "")
	assert.Empty(t, other.Items, "another worker sees none of it")

	// The audit trail has it too, found by the worker.
	e := f.eventFor(t, admin, url.Values{"worker_id": {workerID}, "action": {"worker.record_read"}}, read)
	assert.Equal(t, adminID, e.ActorID)
	assert.Equal(t, []string{workerID}, e.WorkerIDs)
	assert.Equal(t, http.StatusOK, e.Status)
	refused, _ := f.events(t, admin, url.Values{"actor": {adminID}, "action": {"worker.record_read"}})
	codes := map[string]int{}
	for _, e := range refused {
		codes[e.Code]++
	}
	assert.Equal(t, 3, codes["reason_required"], "refused look-ups are audited")
	assert.Equal(t, 1, codes["not_found"])

	logs := f.Logs.String()
	for _, secret := range []string{reason, "2026-117", p.SSN, p.Name, string(unknown)} {
		assert.NotContains(t, logs, secret, "the reason and the worker's data stay out of the logs")
	}

	assert.Equal(t, http.StatusForbidden, f.client(t, workerTok).Do("POST", "/api/v1/admin/workers/record",
		map[string]any{"ssn": p.SSN, "reason": reason}).Status, "only admins")
}

func TestAdminLedgerVerify_ReportsATamperedEntry(t *testing.T) {
	f := newAuditFixture(t)
	_, admin := f.admin(t)
	p, workerID, workerTok := f.WorkerToken(t, admin)
	for i, hours := range []int{32, 48, 64} {
		earn(t, f.App, workerID, "t-"+string(rune('a'+i)), hours)
	}
	c := f.client(t, admin)

	res := c.Do("POST", "/api/v1/admin/workers/ledger/verify", map[string]any{"ssn": p.SSN})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.JSONEq(t, `{"worker_id":"`+workerID+`","entries":3,"valid":true,"first_bad_seq":null}`, string(res.Body))

	_, err := f.DB.SQL().ExecContext(context.Background(),
		"UPDATE credit_entries SET amount = amount + 50 WHERE worker_id = ? AND seq = 2", workerID)
	require.NoError(t, err)
	res = c.Do("POST", "/api/v1/admin/workers/ledger/verify", map[string]any{"ssn": p.SSN})
	require.Equal(t, http.StatusOK, res.Status)
	assert.JSONEq(t, `{"worker_id":"`+workerID+`","entries":3,"valid":false,"first_bad_seq":2}`, string(res.Body))

	assert.Equal(t, http.StatusNotFound, c.Do("POST", "/api/v1/admin/workers/ledger/verify",
		map[string]any{"ssn": string(identity.MakeSSN("370402", time.Date(1961, 3, 3, 0, 0, 0, 0, time.UTC), 998))}).Status)
	assert.Equal(t, http.StatusUnprocessableEntity, c.Do("POST", "/api/v1/admin/workers/ledger/verify", map[string]any{"ssn": "x"}).Status)

	log, _ := myAccessLog(t, f.client(t, workerTok), "")
	require.Len(t, log.Items, 2, "each check is in the worker's access log")
	assert.Equal(t, "admin_ledger_verify", log.Items[0].What)
	events, _ := f.events(t, admin, url.Values{"worker_id": {workerID}, "action": {"worker.ledger_verify"}})
	assert.Len(t, events, 2, "and in the audit trail")
}
