package httpapi_test

import (
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// TestBusinessMetrics_CountPostingsRefusalsAndVerifications posts, re-posts and refuses
// trainings, verifies a certificate right and wrong, and reads the counters from /metrics.
func TestBusinessMetrics_CountPostingsRefusalsAndVerifications(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	_, inst := a.OrgToken(t, admin, "training_institution")
	_, employer := a.OrgToken(t, admin, "employer")
	p := apitest.NewPerson()
	a.Register(t, admin, p)

	training := map[string]any{
		"external_id": "metrics-1", "ssn": p.SSN, "name": p.Name, "course_name": "焊工",
		"training_type": "employment_skills", "occupation_code": "6-18-02-04", "hours": 32,
		"start_date": "2026-01-05", "end_date": "2026-01-30", "result": "passed",
	}
	require.Equal(t, http.StatusCreated, a.As(inst).Do("POST", "/api/v1/trainings", training).Status)
	require.Equal(t, http.StatusOK, a.As(inst).Do("POST", "/api/v1/trainings", training).Status)
	bad := map[string]any{"records": []any{map[string]any{"external_id": "metrics-2"}}}
	require.Equal(t, http.StatusUnprocessableEntity, a.As(inst).Do("POST", "/api/v1/trainings/batch", bad).Status)

	cert := map[string]any{"certificate_no": "MT-2026-0001", "ssn": p.SSN, "name": p.Name, "type": "training",
		"occupation_code": "6-18-02-04", "occupation_name": "焊工", "issued_on": "2026-02-01"}
	require.Equal(t, http.StatusCreated, a.As(inst).Do("POST", "/api/v1/certificates", cert).Status)
	require.Equal(t, http.StatusOK, a.As(employer).Do("POST", "/api/v1/verify/certificates",
		map[string]string{"certificate_no": "MT-2026-0001", "name": p.Name}).Status)
	require.Equal(t, http.StatusNotFound, a.As(employer).Do("POST", "/api/v1/verify/certificates",
		map[string]string{"certificate_no": "MT-2026-0001", "name": "某某某"}).Status)

	res := a.As("").Do("GET", "/metrics", nil)
	require.Equal(t, http.StatusOK, res.Status)
	body := string(res.Body)
	for _, line := range []string{
		`skillrecord_build_info{goversion="` + runtime.Version() + `",version="test"} 1`,
		`skillrecord_training_records_posted_total{status="created",via="single"} 1`,
		`skillrecord_training_records_posted_total{status="unchanged",via="single"} 1`,
		`skillrecord_training_batches_refused_total{code="invalid_batch"} 1`,
		`skillrecord_verifications_total{kind="certificate",outcome="valid"} 1`,
		`skillrecord_verifications_total{kind="certificate",outcome="not_found"} 1`,
	} {
		assert.Contains(t, body, line+"\n")
	}
	for _, name := range []string{"skillrecord_redis_pool_connections ", "skillrecord_access_events_written_total "} {
		assert.Contains(t, body, "\n"+name, "%s is exported", strings.TrimSpace(name))
	}
	assert.NotContains(t, body, p.SSN)
	assert.NotContains(t, body, p.Name)
}
