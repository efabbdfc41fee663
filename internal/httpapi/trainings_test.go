package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/credit"
	"skillrecord/internal/identity"
)

const (
	trainingsPath = "/api/v1/trainings"
	batchPath     = "/api/v1/trainings/batch"
)

// trainFixture is the whole service with an admin, one training institution and registered
// cardholders.
type trainFixture struct {
	app    *apitest.App
	admin  string
	instID string
	inst   *apitest.Client
	people []apitest.Person
}

func newTrainFixture(t *testing.T, people int, opts ...apitest.Options) *trainFixture {
	t.Helper()
	a := apitest.NewApp(t, opts...)
	f := &trainFixture{app: a, admin: a.AdminToken(t)}
	var tok string
	f.instID, tok = a.OrgToken(t, f.admin, "training_institution")
	f.inst = a.As(tok)
	for range people {
		f.people = append(f.people, apitest.NewPerson())
	}
	if people > 0 {
		a.Register(t, f.admin, f.people...)
	}
	return f
}

// institution signs in another training institution.
func (f *trainFixture) institution(t *testing.T) (string, *apitest.Client) {
	t.Helper()
	id, tok := f.app.OrgToken(t, f.admin, "training_institution")
	return id, f.app.As(tok)
}

func (f *trainFixture) workerID(t *testing.T, p apitest.Person) string {
	t.Helper()
	w, err := f.app.DB.Workers(f.app.Keys).WorkerBySSN(context.Background(), identity.SSN(p.SSN))
	require.NoError(t, err)
	return w.ID
}

func (f *trainFixture) balance(t *testing.T, p apitest.Person) credit.Tenths {
	t.Helper()
	a, err := f.app.DB.Ledger().Account(context.Background(), f.workerID(t, p))
	require.NoError(t, err)
	return a.Balance
}

func (f *trainFixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	require.NoError(t, f.app.DB.SQL().QueryRow("SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

// trainingRecord is a valid 40-hour passed record of p.
func trainingRecord(p apitest.Person, ext string) map[string]any {
	return map[string]any{
		"external_id": ext, "ssn": p.SSN, "name": p.Name, "course_name": "焊工（中级）培训",
		"training_type": "job_skills_upgrade", "occupation_code": "6-18-02-04", "occupation_name": "焊工",
		"level": 4, "hours": 40, "start_date": "2026-03-01", "end_date": "2026-03-20", "result": "passed",
		"subsidized": true, "subsidy_amount_cents": 150000, "trainee_groups": []string{"youth", "migrant_worker"},
	}
}

type problemJSON struct {
	Code   string `json:"code"`
	Errors []struct {
		Index *int   `json:"index"`
		Field string `json:"field"`
		Code  string `json:"code"`
	} `json:"errors"`
}

func problemOf(t *testing.T, res *apitest.Response) problemJSON {
	t.Helper()
	var p problemJSON
	res.JSON(t, &p)
	return p
}

func TestPostTraining_CreatedThenUnchangedThenConflict(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]

	res := f.inst.Do("POST", trainingsPath, trainingRecord(p, "C-1"))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	created := res.Map(t)
	id, _ := created["id"].(string)
	require.NotEmpty(t, id)
	assert.Equal(t, "/api/v1/trainings/"+id, res.Header.Get("Location"))
	assert.Equal(t, f.instID, created["institution_id"])
	assert.Equal(t, "active", created["status"])
	assert.Equal(t, 2.5, created["credits"], "a passed 40-hour training earns 2.5")
	assert.Equal(t, []any{"migrant_worker", "youth"}, created["trainee_groups"], "canonical order")
	assert.NotContains(t, string(res.Body), p.SSN)
	assert.NotContains(t, string(res.Body), p.Name)
	assert.Equal(t, credit.Tenths(25), f.balance(t, p))

	res = f.inst.Do("POST", trainingsPath, trainingRecord(p, "C-1"))
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, created, res.Map(t), "the stored record, unchanged")
	assert.Equal(t, credit.Tenths(25), f.balance(t, p), "credited once")

	changed := trainingRecord(p, "C-1")
	changed["hours"] = 48
	res = f.inst.Do("POST", trainingsPath, changed)
	require.Equal(t, http.StatusConflict, res.Status, "%s", res.Body)
	assert.Equal(t, "duplicate_conflict", problemOf(t, res).Code)
	assert.Equal(t, 1, f.count(t, "trainings"))
	assert.Equal(t, 1, f.count(t, "credit_entries"))

	// Another institution has its own external ids.
	_, other := f.institution(t)
	res = other.Do("POST", trainingsPath, trainingRecord(p, "C-1"))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, credit.Tenths(50), f.balance(t, p))
}

func TestPostTraining_FailedTrainingEarnsNothing(t *testing.T) {
	f := newTrainFixture(t, 1)
	rec := trainingRecord(f.people[0], "F-1")
	rec["result"] = "failed"
	res := f.inst.Do("POST", trainingsPath, rec)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, 0.0, res.Map(t)["credits"])
	assert.Equal(t, 0, f.count(t, "credit_entries"))
}

func TestPostTraining_RealNameChecks(t *testing.T) {
	f := newTrainFixture(t, 1)
	unknown := apitest.NewPerson() // never registered
	res := f.inst.Do("POST", trainingsPath, trainingRecord(unknown, "U-1"))
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	pr := problemOf(t, res)
	assert.Equal(t, "unknown_cardholder", pr.Code)
	require.Len(t, pr.Errors, 1)
	assert.Equal(t, "ssn", pr.Errors[0].Field)
	assert.NotContains(t, string(res.Body), unknown.SSN)

	wrong := trainingRecord(f.people[0], "U-2")
	wrong["name"] = "欧阳修"
	res = f.inst.Do("POST", trainingsPath, wrong)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	pr = problemOf(t, res)
	assert.Equal(t, "name_mismatch", pr.Code)
	require.Len(t, pr.Errors, 1)
	assert.Equal(t, "name", pr.Errors[0].Field)
	assert.NotContains(t, string(res.Body), "欧阳修")
	assert.Equal(t, 0, f.count(t, "trainings"))
}

func TestPostTraining_InvalidRecordIs422WithEveryBadField(t *testing.T) {
	f := newTrainFixture(t, 1)
	rec := trainingRecord(f.people[0], "I-1")
	rec["ssn"] = "110105194912310021" // wrong check character
	rec["hours"] = 0
	rec["result"] = "maybe"
	rec["end_date"] = "2026-02-01" // before start_date
	res := f.inst.Do("POST", trainingsPath, rec)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	pr := problemOf(t, res)
	assert.Equal(t, "invalid_ssn", pr.Code, "the first bad field's code")
	got := map[string]string{}
	for _, e := range pr.Errors {
		assert.Nil(t, e.Index)
		got[e.Field] = e.Code
	}
	assert.Equal(t, map[string]string{
		"ssn": "invalid_ssn", "hours": "invalid_hours", "result": "invalid_result", "end_date": "invalid_date_range",
	}, got)
	assert.NotContains(t, string(res.Body), "110105194912310021")

	res = f.inst.Do("POST", trainingsPath, map[string]any{"external_id": "I-2"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "required", problemOf(t, res).Code)

	extra := trainingRecord(f.people[0], "I-3")
	extra["worker_id"] = "x"
	res = f.inst.Do("POST", trainingsPath, extra)
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "unknown_field", problemOf(t, res).Code)

	res = f.inst.Do("POST", trainingsPath, `{"external_id":"I-4","hours":"forty"}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, 0, f.count(t, "trainings"))
}

func TestTrainings_OtherRolesAreRefused(t *testing.T) {
	f := newTrainFixture(t, 1)
	_, employer := f.app.OrgToken(t, f.admin, "employer")
	res := f.app.As(employer).Do("POST", trainingsPath, trainingRecord(f.people[0], "R-1"))
	assert.Equal(t, http.StatusForbidden, res.Status)
	res = f.app.As(f.admin).Do("GET", trainingsPath, nil)
	assert.Equal(t, http.StatusForbidden, res.Status)
	assert.Equal(t, 0, f.count(t, "trainings"))
}

func TestVoidTraining_OwnerReversesExactlyOthersGet404TwiceIs409(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]
	res := f.inst.Do("POST", trainingsPath, trainingRecord(p, "V-1"))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	id := res.Map(t)["id"].(string)
	require.Equal(t, credit.Tenths(25), f.balance(t, p))
	voidPath := trainingsPath + "/" + id + "/void"

	_, other := f.institution(t)
	res = other.Do("POST", voidPath, map[string]string{"reason": "录入错误"})
	require.Equal(t, http.StatusNotFound, res.Status)
	foreign := problemOf(t, res)
	res = f.inst.Do("POST", trainingsPath+"/0190a1b2-0000-7000-8000-000000000000/void", map[string]string{"reason": "录入错误"})
	require.Equal(t, http.StatusNotFound, res.Status)
	assert.Equal(t, problemOf(t, res), foreign, "someone else's record answers like a missing one")

	res = f.inst.Do("POST", voidPath, map[string]string{"reason": ""})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "required", problemOf(t, res).Code)
	assert.Equal(t, credit.Tenths(25), f.balance(t, p))

	res = f.inst.Do("POST", voidPath, map[string]string{"reason": "学员信息录入错误"})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	v := res.Map(t)
	assert.Equal(t, "void", v["status"])
	assert.Equal(t, "学员信息录入错误", v["void_reason"])
	assert.Equal(t, 0.0, v["credits"])
	assert.NotEmpty(t, v["voided_at"])
	assert.Equal(t, credit.Tenths(0), f.balance(t, p), "the void reversed exactly what the record earned")

	res = f.inst.Do("POST", voidPath, map[string]string{"reason": "again"})
	require.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "already_void", problemOf(t, res).Code)
	assert.Equal(t, credit.Tenths(0), f.balance(t, p))
	assert.Equal(t, 2, f.count(t, "credit_entries"))
	assert.Equal(t, 1, f.count(t, "trainings"), "the voided row is kept")
}

type trainingPage struct {
	Items []struct {
		ID            string  `json:"id"`
		ExternalID    string  `json:"external_id"`
		InstitutionID string  `json:"institution_id"`
		Status        string  `json:"status"`
		Credits       float64 `json:"credits"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func TestListTrainings_PagesTheInstitutionsOwnRecordsNewestFirst(t *testing.T) {
	f := newTrainFixture(t, 5)
	records := make([]map[string]any, 4)
	for i := range records {
		records[i] = trainingRecord(f.people[i], fmt.Sprintf("L-%d", i))
	}
	res := f.inst.Do("POST", batchPath, map[string]any{"records": records})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	res = f.inst.Do("POST", trainingsPath, trainingRecord(f.people[4], "L-LAST"))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	_, other := f.institution(t)
	require.Equal(t, http.StatusCreated, other.Do("POST", trainingsPath, trainingRecord(f.people[0], "X-1")).Status)

	var seen []string
	path := trainingsPath + "?limit=2"
	pages := 0
	for {
		res := f.inst.Do("GET", path, nil)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		var pg trainingPage
		res.JSON(t, &pg)
		pages++
		for _, it := range pg.Items {
			assert.Equal(t, f.instID, it.InstitutionID)
			seen = append(seen, it.ExternalID)
		}
		if pg.NextCursor == nil {
			break
		}
		path = trainingsPath + "?limit=2&cursor=" + *pg.NextCursor
	}
	assert.Equal(t, 3, pages)
	require.Len(t, seen, 5)
	assert.Equal(t, "L-LAST", seen[0], "newest first")
	assert.ElementsMatch(t, []string{"L-0", "L-1", "L-2", "L-3", "L-LAST"}, seen)

	res = f.inst.Do("GET", trainingsPath+"?external_id=L-2", nil)
	require.Equal(t, http.StatusOK, res.Status)
	var one trainingPage
	res.JSON(t, &one)
	require.Len(t, one.Items, 1)
	assert.Equal(t, "L-2", one.Items[0].ExternalID)

	res = f.inst.Do("GET", trainingsPath+"?status=void", nil)
	require.Equal(t, http.StatusOK, res.Status)
	var none trainingPage
	res.JSON(t, &none)
	assert.Empty(t, none.Items)

	assert.Equal(t, http.StatusUnprocessableEntity, f.inst.Do("GET", trainingsPath+"?status=gone", nil).Status)
	assert.Equal(t, http.StatusUnprocessableEntity, f.inst.Do("GET", trainingsPath+"?limit=101", nil).Status)
	assert.Equal(t, http.StatusUnprocessableEntity, f.inst.Do("GET", trainingsPath+"?cursor=djE6eHh4", nil).Status)
}

func TestMyTrainings_AWorkerSeesOnlyItsOwnRecords(t *testing.T) {
	f := newTrainFixture(t, 1)
	me, _, tok := f.app.WorkerToken(t, f.admin)
	stranger := f.people[0]
	for i, end := range []string{"2026-04-10", "2026-06-30", "2026-05-15"} {
		rec := trainingRecord(me, fmt.Sprintf("ME-%d", i))
		rec["end_date"] = end
		require.Equal(t, http.StatusCreated, f.inst.Do("POST", trainingsPath, rec).Status)
	}
	require.Equal(t, http.StatusCreated, f.inst.Do("POST", trainingsPath, trainingRecord(stranger, "ST-1")).Status)
	otherID, other := f.institution(t)
	require.Equal(t, http.StatusCreated, other.Do("POST", trainingsPath, trainingRecord(me, "OT-1")).Status)

	worker := f.app.As(tok)
	var all []string
	institutions := map[string]bool{}
	path := "/api/v1/me/trainings?limit=3"
	for {
		res := worker.Do("GET", path, nil)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.NotContains(t, string(res.Body), me.SSN)
		var pg trainingPage
		res.JSON(t, &pg)
		for _, it := range pg.Items {
			all = append(all, it.ExternalID)
			institutions[it.InstitutionID] = true
		}
		if pg.NextCursor == nil {
			break
		}
		path = "/api/v1/me/trainings?limit=3&cursor=" + *pg.NextCursor
	}
	require.Len(t, all, 4)
	assert.NotContains(t, all, "ST-1")
	assert.Equal(t, []string{"ME-1", "ME-2", "ME-0"}, without(all, "OT-1"), "latest end date first")
	assert.Equal(t, map[string]bool{f.instID: true, otherID: true}, institutions)

	assert.Equal(t, http.StatusForbidden, f.inst.Do("GET", "/api/v1/me/trainings", nil).Status)
}

func without(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}
