package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
)

// approvedAndEnded files and approves a class (sessions in two and three days), moves the
// clock past its last session and signs the institution in again.
func (f *classFixture) approvedAndEnded(t *testing.T, ext string) string {
	t.Helper()
	id := f.file(t, ext)["id"].(string)
	require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)
	f.app.Advance(4 * 24 * time.Hour)
	f.reauth(t)
	return id
}

// reauth mints a fresh token for the institution (the clock moved past the old one).
func (f *classFixture) reauth(t *testing.T) {
	t.Helper()
	f.inst = f.app.As(f.app.Mint(t, auth.Principal{ID: uuid.NewString(), Role: auth.RoleTrainingInstitution, OrgID: f.instID}))
	f.admin = f.app.Mint(t, auth.Principal{ID: uuid.NewString(), Role: auth.RoleAdmin})
}

// checkIn stores an attendance row as the check-in routes would.
func (f *classFixture) checkIn(t *testing.T, classID string, person int, day string) {
	t.Helper()
	wid := f.workerID(t, f.people[person])
	at := time.Now().UTC()
	_, err := f.app.DB.SQL().ExecContext(context.Background(),
		"INSERT INTO class_checkins (id, class_id, worker_id, session_date, checked_in_at, method, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		uuid.NewString(), classID, wid, day, at, "manual", at)
	require.NoError(t, err)
}

func (f *classFixture) completion(results ...string) map[string]any {
	var ts []map[string]any
	for i, r := range results {
		ts = append(ts, map[string]any{"ssn": f.people[i].SSN, "result": r})
	}
	return map[string]any{"trainees": ts}
}

func TestCompletion_CreatesLinkedSubsidisedRecordsOnceAndCompletesTheClass(t *testing.T) {
	f := newClassFixture(t)
	first, second := f.day(2), f.day(3)
	id := f.approvedAndEnded(t, "D-1")
	f.checkIn(t, id, 0, first)
	f.checkIn(t, id, 0, second)
	f.checkIn(t, id, 1, second)

	res := f.inst.Do("POST", classesPath+"/"+id+"/completion", f.completion("passed", "passed", "failed"))
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	body := res.Map(t)
	assert.Equal(t, "completed", body["status"])
	trainees := body["trainees"].([]any)
	require.Len(t, trainees, 3)
	rates := []float64{1, 0.5, 0}
	for i, tr := range trainees {
		m := tr.(map[string]any)
		assert.InDelta(t, rates[i], m["attendance_rate"], 1e-9)
		assert.NotEmpty(t, m["training_id"])
	}
	assert.EqualValues(t, 30000, trainees[0].(map[string]any)["subsidy_amount_cents"], "passed, full attendance")
	assert.Nil(t, trainees[1].(map[string]any)["subsidy_amount_cents"], "attended half: below min_attendance")

	records := f.inst.Do("GET", trainingsPath+"?limit=10", nil).Map(t)["items"].([]any)
	require.Len(t, records, 3)
	for _, r := range records {
		rec := r.(map[string]any)
		assert.Equal(t, id, rec["class_id"])
		assert.Equal(t, true, rec["subsidized"])
		assert.Contains(t, rec, "attendance_rate")
	}
	got := f.inst.Do("GET", classesPath+"/"+id, nil).Map(t)
	assert.Equal(t, "completed", got["status"])

	again := f.inst.Do("POST", classesPath+"/"+id+"/completion", f.completion("passed", "passed", "failed"))
	require.Equal(t, http.StatusOK, again.Status, string(again.Body))
	assert.Equal(t, body["trainees"], again.Map(t)["trainees"], "the same records")
	assert.Len(t, f.inst.Do("GET", trainingsPath+"?limit=10", nil).Map(t)["items"], 3, "nothing new")

	other := f.inst.Do("POST", classesPath+"/"+id+"/completion", f.completion("passed", "passed", "passed"))
	assert.Equal(t, http.StatusConflict, other.Status)
	assert.Equal(t, "invalid_transition", problemCode(t, other))
}

func TestCompletion_NeverApprovedOrNotEndedIs409(t *testing.T) {
	f := newClassFixture(t)
	filed := f.file(t, "D-2")["id"].(string)
	early := f.file(t, "D-3")["id"].(string)
	require.Equal(t, http.StatusOK, f.review(t, early, "approve").Status)

	res := f.inst.Do("POST", classesPath+"/"+early+"/completion", f.completion("passed", "passed", "passed"))
	assert.Equal(t, http.StatusConflict, res.Status, "the last session has not ended")
	assert.Equal(t, "invalid_transition", problemCode(t, res))

	f.app.Advance(4 * 24 * time.Hour)
	f.reauth(t)
	res = f.inst.Do("POST", classesPath+"/"+filed+"/completion", f.completion("passed", "passed", "passed"))
	assert.Equal(t, http.StatusConflict, res.Status, "never approved")
	assert.Equal(t, "invalid_transition", problemCode(t, res))
	assert.Empty(t, f.inst.Do("GET", trainingsPath, nil).Map(t)["items"])
}

func TestCompletion_EveryRosterMemberOnceOrNothing(t *testing.T) {
	f := newClassFixture(t)
	id := f.approvedAndEnded(t, "D-4")

	res := f.inst.Do("POST", classesPath+"/"+id+"/completion", f.completion("passed", "passed"))
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "missing_trainee", problemCode(t, res))

	body := f.completion("passed", "passed", "passed")
	body["trainees"].([]map[string]any)[2]["ssn"] = f.people[4].SSN
	res = f.inst.Do("POST", classesPath+"/"+id+"/completion", body)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "not_on_roster", problemCode(t, res))

	body = f.completion("passed", "passed", "passed")
	body["trainees"].([]map[string]any)[1]["result"] = "excellent"
	res = f.inst.Do("POST", classesPath+"/"+id+"/completion", body)
	assert.Equal(t, "invalid_result", problemCode(t, res))

	assert.Empty(t, f.inst.Do("GET", trainingsPath, nil).Map(t)["items"], "nothing written")
	assert.Equal(t, "approved", f.inst.Do("GET", classesPath+"/"+id, nil).Map(t)["status"])
}

func TestCompletion_AnItemThatRequiresACertificateNeedsOneForEachPassedTrainee(t *testing.T) {
	f := newClassFixture(t)
	body := f.classBody("D-5")
	body["training_type"], body["subsidy_item"] = "job_skills_upgrade", "job_skills_upgrade"
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := res.Map(t)["id"].(string)
	require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)
	f.app.Advance(4 * 24 * time.Hour)
	f.reauth(t)
	for _, day := range []string{body["start_date"].(string), body["end_date"].(string)} {
		f.checkIn(t, id, 0, day)
	}

	done := f.completion("passed", "failed", "passed")
	res = f.inst.Do("POST", classesPath+"/"+id+"/completion", done)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "certificate_required", problemCode(t, res))
	assert.Len(t, res.Map(t)["errors"], 2, "both passed trainees")

	done["trainees"].([]map[string]any)[0]["certificate_no"] = "S370400-2026-0001"
	done["trainees"].([]map[string]any)[2]["certificate_no"] = "S370400-2026-0002"
	res = f.inst.Do("POST", classesPath+"/"+id+"/completion", done)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	trainees := res.Map(t)["trainees"].([]any)
	assert.EqualValues(t, 80000, trainees[0].(map[string]any)["subsidy_amount_cents"], "passed, attended, certified")
	assert.Nil(t, trainees[2].(map[string]any)["subsidy_amount_cents"], "never attended")
}
