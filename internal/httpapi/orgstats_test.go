package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrgStats_CountsTheInstitutionsRecordsInThePeriod(t *testing.T) {
	w := newRepWorld(t)
	w.load(t)
	// Another institution's records do not count for this one.
	otherID := w.createOrg(t, "training_institution", nil)
	w.post(t, w.client(t, otherID), repRecord{"X1", "A", "gold_blue_collar", "2025-03-10", true, nil, false, 999})

	res := w.app.As(w.admin).Do("GET", "/api/v1/admin/organizations/"+w.instID+"/stats?from=2025-01-01&to=2025-12-31", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	body := res.Map(t)
	assert.EqualValues(t, 0, body["evaluation"].(map[string]any)["classes"], "no subsidised classes: the evaluation figures are zeros")
	delete(body, "evaluation")
	records, err := json.Marshal(body)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"organization_id": "`+w.instID+`", "from": "2025-01-01", "to": "2025-12-31",
		"records_posted": 8, "voided": 1, "passed": 6, "pass_rate": 0.8571,
		"subsidized_records": 4, "subsidy_amount_cents": 300000, "distinct_workers": 4,
		"certificates_issued": 0, "certificates_revoked": 0
	}`, string(records), "posted R1–R9 but R7 (2024); R6 void; of the 7 others R3 failed; subsidised R1 R2 R4 R8")

	res = w.app.As(w.admin).Do("GET", "/api/v1/admin/organizations/"+w.evalID+"/stats?from=2025-01-01&to=2025-12-31", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	m := res.Map(t)
	assert.Nil(t, m["pass_rate"], "no records: no pass rate")
	assert.EqualValues(t, 6, m["certificates_issued"], "C2–C7 (C1 was issued in 2024)")
	assert.EqualValues(t, 1, m["certificates_revoked"], "C3")

	res = w.app.As(w.admin).Do("GET", "/api/v1/admin/organizations/0190a1b2-0000-7000-8000-0000000000ff/stats?from=2025-01-01&to=2025-12-31", nil)
	assert.Equal(t, http.StatusNotFound, res.Status)
	res = w.app.As(w.admin).Do("GET", "/api/v1/admin/organizations/"+w.instID+"/stats?from=2025-01-01", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
}
