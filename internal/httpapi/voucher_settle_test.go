package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVouchers_OnlyAUsedVoucherMakesALineDueAndItIsSettledOnce(t *testing.T) {
	f := newVoucherFixture(t)
	f.batch(t, "g", "general", 10, nil)
	v := f.claim(t, 3, "g", http.StatusCreated)
	class := f.vouchered(t, "S-1", 4, 0)
	f.use(t, f.inst, class, f.code(t, 3, v["id"].(string)), http.StatusCreated)
	f.end(t)
	f.complete(t, class, trainee{0, "passed", 2, ""}, trainee{3, "passed", 2, ""})

	c := f.draft(t, class, http.StatusCreated)
	assert.Equal(t, []string{"voucher_missing"}, reasons(f.line(t, c, 0)), "a line without a voucher")
	assert.Equal(t, true, f.line(t, c, 3)["eligible"])
	assert.EqualValues(t, 100000, f.line(t, c, 3)["amount_cents"], "min(face value, catalogue amount)")
	id := c["id"].(string)
	require.Equal(t, http.StatusOK, f.reviewClaim(t, id, map[string]any{"decision": "approve"}).Status)
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 1_000_000).Status)
	require.Equal(t, http.StatusCreated, f.disburse(id, "GK-V1").Status)
	assert.Equal(t, http.StatusOK, f.disburse(id, "GK-V1").Status)
	again := f.disburse(id, "GK-V2")
	assert.Equal(t, http.StatusConflict, again.Status)
	assert.Equal(t, "already_disbursed", problemCode(t, again))

	stats := func() map[string]any {
		res := f.app.As(f.admin).Do("GET", voucherBatchesPath+"/g/stats", nil)
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		return res.Map(t)
	}
	st := stats()
	assert.EqualValues(t, 1, st["settled"])
	assert.EqualValues(t, 0, st["used"])
	assert.EqualValues(t, 100000, st["settled_cents"], "settled once")
	assert.EqualValues(t, 1, st["use_rate"])
	mine := f.worker(t, 3).Do("GET", "/api/v1/me/vouchers", nil).Map(t)["items"].([]any)
	assert.Equal(t, "settled", mine[0].(map[string]any)["state"])

	funds := f.app.As(f.admin).Do("GET", "/api/v1/admin/funds?year="+f.year(), nil)
	require.Equal(t, http.StatusOK, funds.Status, string(funds.Body))
	employment := funds.Map(t)["items"].([]any)[0].(map[string]any)
	assert.Equal(t, "employment_subsidy", employment["source"], "the batch's fund source")
	assert.EqualValues(t, 1, employment["vouchers"].(map[string]any)["settled"])
	assert.EqualValues(t, 100000, employment["vouchers"].(map[string]any)["settled_cents"])
	eval := f.app.As(f.admin).Do("GET", "/api/v1/admin/evaluation?from="+f.day(-30)+"&to="+f.day(0), nil)
	require.Equal(t, http.StatusOK, eval.Status, string(eval.Body))
	assert.EqualValues(t, 1, eval.Map(t)["institutions"].([]any)[0].(map[string]any)["vouchers_used"])

	// An upheld dispute of the line cancels the voucher.
	worker := f.worker(t, 3)
	raised := worker.Do("POST", "/api/v1/me/disputes", map[string]any{"subject": "subsidy_line", "id": f.line(t, c, 3)["line_id"], "reason": "未参加培训"})
	require.Equal(t, http.StatusCreated, raised.Status, string(raised.Body))
	res := f.app.As(f.admin).Do("POST", "/api/v1/admin/disputes/"+raised.Map(t)["id"].(string)+"/resolve", map[string]any{"upheld": true, "reason": "属实"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	st = stats()
	assert.EqualValues(t, 1, st["cancelled"])
	assert.EqualValues(t, 0, st["settled"])
}
