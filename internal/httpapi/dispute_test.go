package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisputes_UpheldAfterPaymentVoidsTheRecordAndOwesAReversal(t *testing.T) {
	f := newClaimFixture(t)
	id := f.approvedClaim(t, "D-1")
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "unemployment_insurance", 1_000_000).Status)
	paid := f.app.As(f.admin).Do("POST", "/api/v1/admin/claims/"+id+"/disburse",
		map[string]any{"fund_source": "unemployment_insurance", "payee": "institution", "reference": "GK-D1"})
	require.Equal(t, http.StatusCreated, paid.Status, string(paid.Body))

	worker := f.app.As(f.workerToken(t, 0))
	line := worker.Do("GET", "/api/v1/me/subsidies", nil).Map(t)["items"].([]any)[0].(map[string]any)["line_id"].(string)
	raised := worker.Do("POST", "/api/v1/me/disputes", map[string]any{"subject": "subsidy_line", "id": line, "reason": "我没有参加这个培训"})
	require.Equal(t, http.StatusCreated, raised.Status, string(raised.Body))
	d := raised.Map(t)
	assert.Equal(t, "open", d["status"])
	again := worker.Do("POST", "/api/v1/me/disputes", map[string]any{"subject": "subsidy_line", "id": line, "reason": "再次"})
	assert.Equal(t, "dispute_open", problemCode(t, again))
	other := f.app.As(f.workerToken(t, 1)).Do("POST", "/api/v1/me/disputes", map[string]any{"subject": "subsidy_line", "id": line, "reason": "x"})
	assert.Equal(t, http.StatusNotFound, other.Status, "another worker's line")

	assert.Len(t, worker.Do("GET", "/api/v1/me/disputes", nil).Map(t)["items"], 1)
	assert.Len(t, f.inst.Do("GET", "/api/v1/disputes", nil).Map(t)["items"], 1, "the institution sees disputes on its records")
	admin := f.app.As(f.admin)
	assert.Len(t, admin.Do("GET", "/api/v1/admin/disputes?status=open", nil).Map(t)["items"], 1)

	res := admin.Do("POST", "/api/v1/admin/disputes/"+d["id"].(string)+"/resolve", map[string]any{"upheld": true, "reason": "查实未参训"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.Equal(t, "upheld", res.Map(t)["status"])

	subs := worker.Do("GET", "/api/v1/me/subsidies", nil).Map(t)["items"].([]any)
	assert.Equal(t, "reversal_owed", subs[0].(map[string]any)["status"])
	recs := f.inst.Do("GET", trainingsPath+"?status=void", nil).Map(t)["items"].([]any)
	require.Len(t, recs, 1, "the record is voided")
	entries := admin.Do("GET", "/api/v1/admin/funds/entries?source=unemployment_insurance", nil).Map(t)["items"].([]any)
	require.Len(t, entries, 3)
	rev := entries[0].(map[string]any)
	assert.Equal(t, "reversal_owed", rev["kind"])
	assert.Equal(t, line, rev["line_id"])
	assert.EqualValues(t, 30000, rev["amount_cents"])
	assert.Equal(t, true, admin.Do("POST", "/api/v1/admin/funds/verify", nil).Map(t)["valid"])
	twice := admin.Do("POST", "/api/v1/admin/disputes/"+d["id"].(string)+"/resolve", map[string]any{"upheld": false, "reason": "x"})
	assert.Equal(t, http.StatusConflict, twice.Status)
}

func TestDisputes_UpheldBeforePaymentHoldsTheLine(t *testing.T) {
	f := newClaimFixture(t)
	c := f.submitted(t, "D-2")
	worker := f.app.As(f.workerToken(t, 1))
	training := f.line(t, c, 1)["training_id"].(string)
	raised := worker.Do("POST", "/api/v1/me/disputes", map[string]any{"subject": "training", "id": training, "reason": "成绩不实"})
	require.Equal(t, http.StatusCreated, raised.Status, string(raised.Body))
	res := f.app.As(f.admin).Do("POST", "/api/v1/admin/disputes/"+raised.Map(t)["id"].(string)+"/resolve", map[string]any{"upheld": true, "reason": "属实"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))

	claim := f.app.As(f.admin).Do("GET", "/api/v1/admin/claims/"+c["id"].(string), nil).Map(t)
	assert.Equal(t, true, f.line(t, claim, 1)["held"])
	assert.Equal(t, false, f.line(t, claim, 0)["held"])
	assert.Equal(t, "held", worker.Do("GET", "/api/v1/me/subsidies", nil).Map(t)["items"].([]any)[0].(map[string]any)["status"])

	require.Equal(t, http.StatusOK, f.reviewClaim(t, c["id"].(string), map[string]any{"decision": "approve"}).Status)
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 1_000_000).Status)
	paid := f.disburse(c["id"].(string), "GK-D2")
	require.Equal(t, http.StatusCreated, paid.Status, string(paid.Body))
	assert.EqualValues(t, 30000, paid.Map(t)["amount_cents"], "the held line is not paid")
}
