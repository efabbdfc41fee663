package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
)

const classesPath = "/api/v1/classes"

// classFixture is the whole service with an admin, one training institution and six
// registered cardholders.
type classFixture struct {
	*trainFixture
	loc *time.Location
}

func newClassFixture(t *testing.T, opts ...apitest.Options) *classFixture {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	return &classFixture{trainFixture: newTrainFixture(t, 6, opts...), loc: loc}
}

// day is the date n days after today in the bureau's time zone.
func (f *classFixture) day(n int) string {
	return f.app.Now().In(f.loc).AddDate(0, 0, n).Format("2006-01-02")
}

// classBody is a class fitting the pre_job_safety item, with sessions 09:00–12:00 in two and
// three days, capacity 3, people 0–2 on the roster.
func (f *classFixture) classBody(ext string) map[string]any {
	roster := []map[string]any{}
	for _, p := range f.people[:3] {
		roster = append(roster, map[string]any{"ssn": p.SSN, "name": p.Name})
	}
	return map[string]any{
		"external_id": ext, "course_name": "焊工安全岗前培训", "training_type": "pre_job",
		"occupation_code": "6-18-02-04", "subsidy_item": "pre_job_safety", "hours": 6,
		"start_date": f.day(2), "end_date": f.day(3),
		"sessions": []map[string]any{
			{"date": f.day(2), "starts_at": "09:00", "ends_at": "12:00"},
			{"date": f.day(3), "starts_at": "09:00", "ends_at": "12:00"},
		},
		"location": "市中区公共实训基地", "teacher": "王老师", "capacity": 3, "roster": roster,
	}
}

func (f *classFixture) file(t *testing.T, ext string) map[string]any {
	t.Helper()
	res := f.inst.Do("POST", classesPath, f.classBody(ext))
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	return res.Map(t)
}

func (f *classFixture) review(t *testing.T, id, decision string) *apitest.Response {
	t.Helper()
	return f.app.As(f.admin).Do("POST", "/api/v1/admin/classes/"+id+"/review", map[string]any{"decision": decision, "reason": "核查"})
}

func TestSubsidyCatalogue_AnySignedInPrincipalReadsIt(t *testing.T) {
	f := newClassFixture(t)
	_, _, worker := f.app.WorkerToken(t, f.admin)
	for _, c := range []*apitest.Client{f.inst, f.app.As(worker), f.app.As(f.admin)} {
		res := c.Do("GET", "/api/v1/subsidy-catalogue", nil)
		require.Equal(t, http.StatusOK, res.Status)
		body := res.Map(t)
		assert.NotEmpty(t, body["version"])
		assert.NotEmpty(t, body["items"])
	}
	assert.Equal(t, http.StatusUnauthorized, f.app.As("").Do("GET", "/api/v1/subsidy-catalogue", nil).Status)
}

func TestClasses_FilingAnswers201ThenIdempotent200ThenConflict(t *testing.T) {
	f := newClassFixture(t)
	c := f.file(t, "C-1")
	assert.Equal(t, "filed", c["status"])
	assert.Equal(t, false, c["late_filing"])
	roster := c["roster"].([]any)
	require.Len(t, roster, 3)
	first := roster[0].(map[string]any)
	assert.Contains(t, first["ssn_masked"], "********")
	assert.NotContains(t, string(f.inst.Do("GET", classesPath+"/"+c["id"].(string), nil).Body), f.people[0].SSN)

	again := f.inst.Do("POST", classesPath, f.classBody("C-1"))
	require.Equal(t, http.StatusOK, again.Status)
	assert.Equal(t, c["id"], again.Map(t)["id"])

	body := f.classBody("C-1")
	body["teacher"] = "李老师"
	res := f.inst.Do("POST", classesPath, body)
	assert.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "duplicate_conflict", problemCode(t, res))
}

func TestClasses_RosterLineWithTheWrongNameRefusesTheFiling(t *testing.T) {
	f := newClassFixture(t)
	body := f.classBody("C-2")
	body["roster"].([]map[string]any)[2]["name"] = f.people[4].Name
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "name_mismatch", problemCode(t, res))
	fe := res.Map(t)["errors"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 2, fe["index"])
	assert.Equal(t, "name", fe["field"])
	list := f.inst.Do("GET", classesPath, nil).Map(t)
	assert.Empty(t, list["items"], "nothing was filed")
}

func TestClasses_OverCapacityAndCatalogueMismatchAre422(t *testing.T) {
	f := newClassFixture(t)
	body := f.classBody("C-3")
	body["capacity"] = 2
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "over_capacity", problemCode(t, res))

	body = f.classBody("C-3")
	body["occupation_code"] = "2-02-01-01" // not a pre_job_safety occupation
	body["training_type"] = "entrepreneurship"
	res = f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "catalogue_mismatch", problemCode(t, res))
	assert.Len(t, res.Map(t)["errors"], 2)

	body = f.classBody("C-3")
	body["subsidy_item"] = "no_such_item"
	res = f.inst.Do("POST", classesPath, body)
	assert.Equal(t, "unknown_subsidy_item", problemCode(t, res))
}

func TestClasses_AnotherInstitutionsClassIs404(t *testing.T) {
	f := newClassFixture(t)
	c := f.file(t, "C-4")
	id := c["id"].(string)
	_, other := f.institution(t)
	for _, res := range []*apitest.Response{
		other.Do("GET", classesPath+"/"+id, nil),
		other.Do("POST", classesPath+"/"+id+"/cancel", map[string]any{"reason": "x"}),
		other.Do("PATCH", classesPath+"/"+id+"/roster", map[string]any{"remove": []string{f.people[0].SSN}}),
	} {
		assert.Equal(t, http.StatusNotFound, res.Status)
	}
	assert.Empty(t, other.Do("GET", classesPath, nil).Map(t)["items"])
	assert.Equal(t, http.StatusOK, f.app.As(f.admin).Do("GET", classesPath+"/"+id, nil).Status, "the bureau reads any class")
}

func TestClasses_RosterChangeAndCancelOnlyBeforeTheFirstSession(t *testing.T) {
	f := newClassFixture(t)
	c := f.file(t, "C-5")
	id := c["id"].(string)
	res := f.inst.Do("PATCH", classesPath+"/"+id+"/roster", map[string]any{
		"add":    []map[string]any{{"ssn": f.people[3].SSN, "name": f.people[3].Name}},
		"remove": []string{f.people[0].SSN},
	})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.EqualValues(t, 3, res.Map(t)["roster_size"])

	res = f.inst.Do("PATCH", classesPath+"/"+id+"/roster", map[string]any{
		"add": []map[string]any{{"ssn": f.people[4].SSN, "name": f.people[5].Name}}})
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)

	f.app.Advance(3 * 24 * time.Hour) // the first session has begun
	f.inst = f.app.As(f.app.Mint(t, auth.Principal{ID: "0190a1b2-0000-7000-8000-0000000000c1", Role: auth.RoleTrainingInstitution, OrgID: f.instID}))
	res = f.inst.Do("PATCH", classesPath+"/"+id+"/roster", map[string]any{"remove": []string{f.people[1].SSN}})
	assert.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "class_started", problemCode(t, res))
	res = f.inst.Do("POST", classesPath+"/"+id+"/cancel", map[string]any{"reason": "学员不足"})
	assert.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "class_started", problemCode(t, res))
}

func TestClasses_ReviewTransitionsRowByRow(t *testing.T) {
	f := newClassFixture(t)
	approved := f.file(t, "C-6")["id"].(string)
	rejected := f.file(t, "C-7")["id"].(string)
	cancelled := f.file(t, "C-8")["id"].(string)

	res := f.review(t, approved, "approve")
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.Equal(t, "approved", res.Map(t)["status"])
	res = f.review(t, rejected, "reject")
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "rejected", res.Map(t)["status"])
	res = f.inst.Do("POST", classesPath+"/"+cancelled+"/cancel", map[string]any{"reason": "场地变更"})
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "cancelled", res.Map(t)["status"])

	for _, tc := range []struct{ name, id, decision string }{
		{"approved→approved", approved, "approve"},
		{"approved→rejected", approved, "reject"},
		{"rejected→approved", rejected, "approve"},
		{"cancelled→approved", cancelled, "approve"},
	} {
		res := f.review(t, tc.id, tc.decision)
		assert.Equal(t, http.StatusConflict, res.Status, tc.name)
		assert.Equal(t, "invalid_transition", problemCode(t, res), tc.name)
	}
	res = f.inst.Do("POST", classesPath+"/"+rejected+"/cancel", map[string]any{"reason": "x"})
	assert.Equal(t, "invalid_transition", problemCode(t, res), "rejected→cancelled")
	res = f.inst.Do("POST", classesPath+"/"+approved+"/cancel", map[string]any{"reason": "停办"})
	assert.Equal(t, http.StatusOK, res.Status, "approved→cancelled")
	res = f.review(t, approved, "maybe")
	assert.Equal(t, "invalid_decision", problemCode(t, res))

	list := f.app.As(f.admin).Do("GET", "/api/v1/admin/classes?status=rejected&institution_id="+f.instID, nil)
	require.Equal(t, http.StatusOK, list.Status)
	items := list.Map(t)["items"].([]any)
	require.Len(t, items, 1)
	assert.Equal(t, rejected, items[0].(map[string]any)["id"])
	assert.Equal(t, http.StatusUnprocessableEntity, f.app.As(f.admin).Do("GET", "/api/v1/admin/classes?from=2026-13-01", nil).Status)
	mine := f.inst.Do("GET", classesPath+"?status=cancelled&limit=1", nil).Map(t)
	assert.Len(t, mine["items"], 1)
	assert.NotNil(t, mine["next_cursor"])
}

func TestClasses_LateFilingIsAcceptedAndFlagged(t *testing.T) {
	f := newClassFixture(t)
	body := f.classBody("C-9")
	body["start_date"], body["end_date"] = f.day(0), f.day(1)
	body["sessions"] = []map[string]any{
		{"date": f.day(0), "starts_at": "00:00", "ends_at": "23:59"}, // began at midnight: filed late
		{"date": f.day(1), "starts_at": "09:00", "ends_at": "12:00"},
	}
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	c := res.Map(t)
	assert.Equal(t, true, c["late_filing"])

	flags := f.app.As(f.admin).Do("GET", "/api/v1/admin/supervision-flags?kind=late_filing&class_id="+c["id"].(string)+"&from="+f.day(0)+"&to="+f.day(0), nil)
	require.Equal(t, http.StatusOK, flags.Status, string(flags.Body))
	items := flags.Map(t)["items"].([]any)
	require.Len(t, items, 1)
	flag := items[0].(map[string]any)
	assert.Equal(t, "late_filing", flag["kind"])
	assert.Nil(t, flag["worker_masked"])
	assert.Equal(t, http.StatusUnprocessableEntity, f.app.As(f.admin).Do("GET", "/api/v1/admin/supervision-flags?kind=sleeping", nil).Status)
	assert.False(t, strings.Contains(string(flags.Body), f.people[0].SSN))
}

func TestInspections_DrawApprovedClassesWhenAsked(t *testing.T) {
	f := newClassFixture(t)
	approved := f.file(t, "I-1")["id"].(string)
	filed := f.file(t, "I-2")["id"].(string)
	require.Equal(t, http.StatusOK, f.review(t, approved, "approve").Status)

	res := f.app.As(f.admin).Do("POST", "/api/v1/admin/inspections", map[string]any{
		"institutions": 100, "records_per_institution": 1, "classes_per_institution": 5, "seed": 7})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	body := res.Map(t)
	assert.EqualValues(t, 5, body["classes_per_institution"])
	var found bool
	for _, d := range body["sample"].([]any) {
		drawn := d.(map[string]any)
		if drawn["institution_id"] != f.instID {
			continue
		}
		found = true
		assert.EqualValues(t, 1, drawn["class_candidates"], "only the approved class")
		assert.Equal(t, []any{approved}, drawn["class_ids"])
	}
	assert.True(t, found, "the institution was drawn")
	assert.NotContains(t, string(res.Body), filed)

	again := f.app.As(f.admin).Do("GET", "/api/v1/admin/inspections/"+body["id"].(string), nil)
	require.Equal(t, http.StatusOK, again.Status)
	assert.Equal(t, body["sample"], again.Map(t)["sample"])

	bad := f.app.As(f.admin).Do("POST", "/api/v1/admin/inspections", map[string]any{
		"institutions": 1, "records_per_institution": 1, "classes_per_institution": 101})
	assert.Equal(t, "invalid_classes_per_institution", problemCode(t, bad))
}
