package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEvaluation_CountsClassesRatesAndSubsidyPerInstitution(t *testing.T) {
	f := newClaimFixture(t)
	id := f.approvedClaim(t, "E-1") // two trainees, both passed with full attendance
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "employment_subsidy", 1_000_000).Status)
	paid := f.app.As(f.admin).Do("POST", "/api/v1/admin/claims/"+id+"/disburse",
		map[string]any{"fund_source": "employment_subsidy", "payee": "institution", "reference": "GK-E1"})
	require.Equal(t, http.StatusCreated, paid.Status, string(paid.Body))

	from, to := f.day(-30), f.day(0)
	admin := f.app.As(f.admin)
	res := admin.Do("GET", "/api/v1/admin/evaluation?from="+from+"&to="+to, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	rows := res.Map(t)["institutions"].([]any)
	require.Len(t, rows, 1)
	row := rows[0].(map[string]any)
	assert.Equal(t, f.instID, row["institution_id"])
	assert.EqualValues(t, 1, row["classes"])
	assert.EqualValues(t, 2, row["trainees"])
	assert.EqualValues(t, 1, row["completion_rate"])
	assert.EqualValues(t, 1, row["pass_rate"])
	assert.EqualValues(t, 1, row["mean_attendance"])
	assert.EqualValues(t, 60000, row["subsidy_claimed_cents"])
	assert.EqualValues(t, 60000, row["subsidy_approved_cents"])
	assert.EqualValues(t, 60000, row["subsidy_disbursed_cents"])
	assert.EqualValues(t, 0, row["certificates"])
	assert.Nil(t, row["cost_per_certificate_cents"])
	assert.Contains(t, row["supervision_flags"], "late_filing")

	csv := admin.Do("GET", "/api/v1/admin/evaluation?format=csv&from="+from+"&to="+to, nil)
	require.Equal(t, http.StatusOK, csv.Status)
	assert.True(t, strings.HasPrefix(string(csv.Body), "\ufeffinstitution_id,institution_name,classes"))

	stats := admin.Do("GET", "/api/v1/admin/organizations/"+f.instID+"/stats?from="+from+"&to="+to, nil)
	require.Equal(t, http.StatusOK, stats.Status, string(stats.Body))
	assert.EqualValues(t, 60000, stats.Map(t)["evaluation"].(map[string]any)["subsidy_disbursed_cents"])
	one := admin.Do("GET", "/api/v1/admin/organizations/"+f.instID+"/stats?format=csv&from="+from+"&to="+to, nil)
	require.Equal(t, http.StatusOK, one.Status)
	assert.Len(t, strings.Split(strings.TrimSpace(string(one.Body)), "\r\n"), 2, "the header and one row")
}

func TestIndicators_ShowTheSubsidyDisbursedPerFundSource(t *testing.T) {
	f := newClaimFixture(t)
	id := f.approvedClaim(t, "I-1")
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 1_000_000).Status)
	require.Equal(t, http.StatusCreated, f.disburse(id, "GK-I1").Status)
	res := f.app.As(f.admin).Do("GET", "/api/v1/admin/indicators?from="+f.day(0)+"&to="+f.day(0), nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	got := res.Map(t)["subsidy_disbursed"].([]any)
	require.Len(t, got, 3)
	assert.Equal(t, map[string]any{"source": "skills_upgrade_account", "disbursements": float64(1), "amount_cents": float64(60000)}, got[2])
	assert.EqualValues(t, 0, got[0].(map[string]any)["amount_cents"])
}
