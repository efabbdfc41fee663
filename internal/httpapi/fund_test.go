package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
)

// approvedClaim drafts and approves a claim worth 60000 (two trainees) and returns its id.
func (f *claimFixture) approvedClaim(t *testing.T, ext string) string {
	t.Helper()
	c := f.submitted(t, ext)
	res := f.reviewClaim(t, c["id"].(string), map[string]any{"decision": "approve"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	return c["id"].(string)
}

func (f *claimFixture) year() string { return fmt.Sprint(f.app.Now().In(f.loc).Year()) }

func (f *claimFixture) budget(t *testing.T, source string, cents int64) *apitest.Response {
	t.Helper()
	return f.app.As(f.admin).Do("PUT", "/api/v1/admin/funds/"+source+"/budgets/"+f.year(), map[string]any{"amount_cents": cents})
}

func (f *claimFixture) disburse(id, ref string) *apitest.Response {
	return f.app.As(f.admin).Do("POST", "/api/v1/admin/claims/"+id+"/disburse",
		map[string]any{"fund_source": "skills_upgrade_account", "payee": "institution", "reference": ref})
}

func TestDisburse_AfterTheNoticeWithinTheBudgetOnceByReference(t *testing.T) {
	f := newClaimFixture(t)
	id := f.approvedClaim(t, "P-1")

	early := f.disburse(id, "GK-001")
	assert.Equal(t, http.StatusConflict, early.Status)
	assert.Equal(t, "notice_running", problemCode(t, early))

	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 50000).Status)
	over := f.disburse(id, "GK-001")
	assert.Equal(t, http.StatusConflict, over.Status)
	assert.Equal(t, "budget_exceeded", problemCode(t, over))

	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 100000).Status)
	paid := f.disburse(id, "GK-001")
	require.Equal(t, http.StatusCreated, paid.Status, string(paid.Body))
	first := paid.Map(t)
	assert.EqualValues(t, 60000, first["amount_cents"])
	assert.Len(t, first["lines"], 2)

	retried := f.disburse(id, "GK-001")
	require.Equal(t, http.StatusOK, retried.Status, string(retried.Body))
	assert.Equal(t, first, retried.Map(t), "the first result, nothing paid again")
	again := f.disburse(id, "GK-002")
	assert.Equal(t, http.StatusConflict, again.Status)
	assert.Equal(t, "already_disbursed", problemCode(t, again))
	assert.Equal(t, "disbursed", f.app.As(f.admin).Do("GET", "/api/v1/admin/claims/"+id, nil).Map(t)["status"])

	admin := f.app.As(f.admin)
	funds := admin.Do("GET", "/api/v1/admin/funds?year="+f.year(), nil)
	require.Equal(t, http.StatusOK, funds.Status, string(funds.Body))
	items := funds.Map(t)["items"].([]any)
	require.Len(t, items, 3)
	upgrade := items[2].(map[string]any)
	assert.Equal(t, "skills_upgrade_account", upgrade["source"])
	assert.EqualValues(t, 100000, upgrade["budget_cents"])
	assert.EqualValues(t, 60000, upgrade["disbursed_cents"])
	assert.EqualValues(t, 40000, upgrade["balance_cents"])
	assert.EqualValues(t, 0, items[0].(map[string]any)["budget_cents"])

	below := f.budget(t, "skills_upgrade_account", 59999)
	assert.Equal(t, http.StatusConflict, below.Status)
	assert.Equal(t, "budget_exceeded", problemCode(t, below))

	entries := admin.Do("GET", "/api/v1/admin/funds/entries?source=skills_upgrade_account&year="+f.year(), nil)
	require.Equal(t, http.StatusOK, entries.Status, string(entries.Body))
	list := entries.Map(t)["items"].([]any)
	require.Len(t, list, 3, "two budget changes and one disbursement")
	assert.Equal(t, "disbursement", list[0].(map[string]any)["kind"])
	csv := admin.Do("GET", "/api/v1/admin/funds/entries?format=csv", nil)
	require.Equal(t, http.StatusOK, csv.Status)
	assert.True(t, strings.HasPrefix(string(csv.Body), "\ufeffseq,source,year,kind"))

	check := admin.Do("POST", "/api/v1/admin/funds/verify", nil)
	require.Equal(t, http.StatusOK, check.Status, string(check.Body))
	assert.Equal(t, map[string]any{"entries": float64(3), "valid": true, "first_bad_seq": nil}, check.Map(t))
	_, err := f.app.DB.SQL().ExecContext(context.Background(), "UPDATE fund_entries SET amount_cents = amount_cents + 1 WHERE seq = 2")
	require.NoError(t, err)
	bad := admin.Do("POST", "/api/v1/admin/funds/verify", nil).Map(t)
	assert.Equal(t, false, bad["valid"])
	assert.EqualValues(t, 2, bad["first_bad_seq"])
}

func TestDisburse_AnOpenObjectionHoldsTheClaim(t *testing.T) {
	f := newClaimFixture(t)
	id := f.approvedClaim(t, "P-2")
	notice := f.app.As(f.admin).Do("GET", "/api/v1/admin/claims/"+id, nil).Map(t)["notice"].(map[string]any)["id"].(string)
	require.Equal(t, http.StatusCreated, f.app.As("").Do("POST", "/api/v1/public/notices/"+notice+"/objections", map[string]any{"text": "未到课"}).Status)
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 1_000_000).Status)
	held := f.disburse(id, "GK-H")
	assert.Equal(t, http.StatusConflict, held.Status)
	assert.Equal(t, "claim_held", problemCode(t, held))
}

func TestDisburse_AClaimLoweredToNothingPaysNothing(t *testing.T) {
	f := newClaimFixture(t)
	c := f.submitted(t, "P-0")
	var zero []map[string]any
	for _, l := range c["lines"].([]any) {
		zero = append(zero, map[string]any{"line_id": l.(map[string]any)["line_id"], "amount_cents": 0, "reason": "未到课"})
	}
	id := c["id"].(string)
	res := f.reviewClaim(t, id, map[string]any{"decision": "approve", "adjustments": zero})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 100000).Status)

	nothing := f.disburse(id, "GK-0")
	assert.Equal(t, http.StatusConflict, nothing.Status, string(nothing.Body))
	assert.Equal(t, "nothing_payable", problemCode(t, nothing))
	admin := f.app.As(f.admin)
	assert.Equal(t, "approved", admin.Do("GET", "/api/v1/admin/claims/"+id, nil).Map(t)["status"], "not marked paid")
	entries := admin.Do("GET", "/api/v1/admin/funds/entries?source=skills_upgrade_account&year="+f.year(), nil)
	require.Equal(t, http.StatusOK, entries.Status, string(entries.Body))
	assert.Len(t, entries.Map(t)["items"], 1, "the budget only: no empty disbursement entry")
}

// TestDisburse_ConcurrentDisbursementsPayExactlyOnce races two references for one claim and a
// second claim that the budget cannot also cover: exactly one disbursement pays.
func TestDisburse_ConcurrentDisbursementsPayExactlyOnce(t *testing.T) {
	f := newClaimFixture(t)
	a := f.approvedClaim(t, "P-3")
	b := f.approvedClaim(t, "P-4")
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 100000).Status)
	calls := [][2]string{{a, "GK-A1"}, {a, "GK-A2"}, {b, "GK-B1"}, {b, "GK-B2"}}
	results := make([]*apitest.Response, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = f.disburse(c[0], c[1])
		}()
	}
	wg.Wait()
	won := 0
	for _, r := range results {
		switch r.Status {
		case http.StatusCreated:
			won++
		case http.StatusConflict:
			assert.Contains(t, []string{"already_disbursed", "budget_exceeded"}, problemCode(t, r))
		default:
			t.Errorf("unexpected %d: %s", r.Status, r.Body)
		}
	}
	assert.Equal(t, 1, won)
	figures := f.app.As(f.admin).Do("GET", "/api/v1/admin/funds?year="+f.year(), nil).Map(t)["items"].([]any)
	assert.EqualValues(t, 60000, figures[2].(map[string]any)["disbursed_cents"])
	check := f.app.As(f.admin).Do("POST", "/api/v1/admin/funds/verify", nil).Map(t)
	assert.Equal(t, true, check["valid"])
	assert.EqualValues(t, 2, check["entries"])
}

func TestSubsidies_AWorkerSeesTheLinesInTheirNameAndThePayment(t *testing.T) {
	f := newClaimFixture(t)
	id := f.approvedClaim(t, "S-1")
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "employment_subsidy", 1_000_000).Status)
	paid := f.app.As(f.admin).Do("POST", "/api/v1/admin/claims/"+id+"/disburse",
		map[string]any{"fund_source": "employment_subsidy", "payee": "trainees", "reference": "GK-S1"})
	require.Equal(t, http.StatusCreated, paid.Status, string(paid.Body))

	worker := f.app.As(f.workerToken(t, 0))
	res := worker.Do("GET", "/api/v1/me/subsidies", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	items := res.Map(t)["items"].([]any)
	require.Len(t, items, 1)
	s := items[0].(map[string]any)
	assert.Equal(t, "disbursed", s["status"])
	assert.Equal(t, "employment_subsidy", s["fund_source"])
	assert.EqualValues(t, 30000, s["amount_cents"])
	assert.Equal(t, f.app.Now().In(f.loc).Format("2006-01-02"), s["disbursed_on"])

	rec := worker.Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, rec.Status, string(rec.Body))
	subs := rec.Map(t)["subsidies"].([]any)
	require.Len(t, subs, 1)
	assert.Equal(t, "disbursed", subs[0].(map[string]any)["status"])
}

// workerToken mints a token for person i (a registered cardholder).
func (f *claimFixture) workerToken(t *testing.T, i int) string {
	t.Helper()
	return f.app.Mint(t, auth.Principal{ID: f.workerID(t, f.people[i]), Role: auth.RoleWorker})
}
