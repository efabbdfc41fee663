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

func TestMeClasses_TheWorkerSeesAttendanceSoFarAndTheRecordListsTheClass(t *testing.T) {
	f := newClassFixture(t)
	p, workerID, _ := f.app.WorkerToken(t, f.admin)
	body := f.classBody("M-1")
	body["roster"] = []map[string]any{{"ssn": p.SSN, "name": p.Name}, {"ssn": f.people[0].SSN, "name": f.people[0].Name}}
	first := f.day(2)
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := res.Map(t)["id"].(string)
	before := f.app.As(f.app.Mint(t, auth.Principal{ID: workerID, Role: auth.RoleWorker})).Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, before.Status)
	assert.Equal(t, "filed", before.Map(t)["classes"].([]any)[0].(map[string]any)["status"])
	require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)

	// The morning after the first session: one held, the second still to come.
	now := f.app.Now().In(f.loc)
	f.app.Advance(time.Date(now.Year(), now.Month(), now.Day()+2, 13, 0, 0, 0, f.loc).Sub(now))
	at := time.Now().UTC()
	_, err := f.app.DB.SQL().ExecContext(context.Background(),
		"INSERT INTO class_checkins (id, class_id, worker_id, session_date, checked_in_at, method, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		uuid.NewString(), id, workerID, first, at, "card_reader", at)
	require.NoError(t, err)
	me := f.app.As(f.app.Mint(t, auth.Principal{ID: workerID, Role: auth.RoleWorker}))

	list := me.Do("GET", "/api/v1/me/classes", nil)
	require.Equal(t, http.StatusOK, list.Status, string(list.Body))
	items := list.Map(t)["items"].([]any)
	require.Len(t, items, 1)
	mine := items[0].(map[string]any)
	assert.Equal(t, id, mine["class_id"])
	assert.Equal(t, "approved", mine["status"])
	assert.EqualValues(t, 1, mine["sessions_held"])
	assert.EqualValues(t, 1, mine["sessions_attended"])
	assert.EqualValues(t, 1, mine["attendance_rate"])

	rec := me.Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, rec.Status, string(rec.Body))
	classes := rec.Map(t)["classes"].([]any)
	require.Len(t, classes, 1)
	assert.Equal(t, id, classes[0].(map[string]any)["class_id"])
	assert.Equal(t, "approved", classes[0].(map[string]any)["status"], "the review invalidated the cached record")

	other := f.app.As(f.app.Mint(t, auth.Principal{ID: f.workerID(t, f.people[1]), Role: auth.RoleWorker}))
	assert.Empty(t, other.Do("GET", "/api/v1/me/classes", nil).Map(t)["items"], "not on the roster")
}

func TestClasses_TheBureauReadingARosterIsInTheWorkersAccessLog(t *testing.T) {
	f := newClassFixture(t)
	p, _, tok := f.app.WorkerToken(t, f.admin)
	body := f.classBody("M-2")
	body["roster"] = []map[string]any{{"ssn": p.SSN, "name": p.Name}}
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := res.Map(t)["id"].(string)
	me := f.app.As(tok)

	require.Equal(t, http.StatusOK, f.inst.Do("GET", classesPath+"/"+id, nil).Status)
	assert.Empty(t, me.Do("GET", "/api/v1/me/access-log", nil).Map(t)["items"], "the institution reads what it filed")

	require.Equal(t, http.StatusOK, f.app.As(f.admin).Do("GET", classesPath+"/"+id, nil).Status)
	items := me.Do("GET", "/api/v1/me/access-log", nil).Map(t)["items"].([]any)
	require.Len(t, items, 1)
	ev := items[0].(map[string]any)
	assert.Equal(t, "admin_class", ev["what"])
	assert.Equal(t, id, ev["why"])
	assert.Equal(t, "admin", ev["actor_role"])
}
