package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// claimFixture runs classes to completion for claims: classes are filed and approved first,
// then the clock moves past their sessions once (end()), then each is completed.
type claimFixture struct {
	*classFixture
	classes int // classes made by submitted, each of its own occupation
}

func newClaimFixture(t *testing.T) *claimFixture {
	t.Helper()
	return &claimFixture{classFixture: newClassFixture(t)}
}

// classOpt is what differs between the test classes.
type classOpt struct {
	occupation string
	item       string // catalogue key
	trainingTy string
	members    []int // indexes into people
}

func safety(occupation string, members ...int) classOpt {
	return classOpt{occupation: occupation, item: "pre_job_safety", trainingTy: "pre_job", members: members}
}

// fileApproved files a class with sessions in two and three days and approves it.
func (f *claimFixture) fileApproved(t *testing.T, ext string, o classOpt) string {
	t.Helper()
	body := f.classBody(ext)
	roster := []map[string]any{}
	for _, i := range o.members {
		roster = append(roster, map[string]any{"ssn": f.people[i].SSN, "name": f.people[i].Name})
	}
	body["roster"], body["occupation_code"], body["subsidy_item"], body["training_type"] = roster, o.occupation, o.item, o.trainingTy
	body["capacity"] = len(roster)
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := res.Map(t)["id"].(string)
	require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)
	return id
}

// end moves the clock past the filed classes' sessions.
func (f *claimFixture) end(t *testing.T) {
	t.Helper()
	f.app.Advance(4 * 24 * time.Hour)
	f.reauth(t)
}

// trainee is one completion line: who, the result, sessions attended (0–2), a certificate.
type trainee struct {
	person   int
	result   string
	sessions int
	cert     string
}

// complete checks the trainees in and completes the class (the dates were days 2 and 3
// before end moved the clock 4 days).
func (f *claimFixture) complete(t *testing.T, classID string, ts ...trainee) {
	t.Helper()
	days := []string{f.day(-2), f.day(-1)}
	var lines []map[string]any
	for _, tr := range ts {
		for _, d := range days[:tr.sessions] {
			f.checkIn(t, classID, tr.person, d)
		}
		line := map[string]any{"ssn": f.people[tr.person].SSN, "result": tr.result}
		if tr.cert != "" {
			line["certificate_no"] = tr.cert
		}
		lines = append(lines, line)
	}
	res := f.inst.Do("POST", classesPath+"/"+classID+"/completion", map[string]any{"trainees": lines})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
}

func (f *claimFixture) draft(t *testing.T, classID string, want int) map[string]any {
	t.Helper()
	res := f.inst.Do("POST", classesPath+"/"+classID+"/claims", nil)
	require.Equal(t, want, res.Status, string(res.Body))
	return res.Map(t)
}

// line returns the claim's line of the person (by masked SSN).
func (f *claimFixture) line(t *testing.T, c map[string]any, person int) map[string]any {
	t.Helper()
	ssn := f.people[person].SSN
	for _, l := range c["lines"].([]any) {
		m := l.(map[string]any)
		masked := m["ssn_masked"].(string)
		if strings.HasPrefix(ssn, masked[:6]) && strings.HasSuffix(ssn, masked[len(masked)-4:]) {
			return m
		}
	}
	t.Fatalf("no line of person %d", person)
	return nil
}

func reasons(l map[string]any) []string {
	var out []string
	for _, r := range l["reasons"].([]any) {
		out = append(out, r.(string))
	}
	return out
}

func TestClaims_DraftAnswers201ThenTheSameClaim200WithReasonsAndMasks(t *testing.T) {
	f := newClaimFixture(t)
	id := f.fileApproved(t, "K-1", safety("6-18-02-04", 0, 1, 2))
	notDone := f.fileApproved(t, "K-2", safety("6-18-02-05", 3))
	f.end(t)
	f.complete(t, id, trainee{0, "passed", 2, ""}, trainee{1, "passed", 1, ""}, trainee{2, "failed", 2, ""})

	c := f.draft(t, id, http.StatusCreated)
	assert.Equal(t, "submitted", c["status"])
	assert.Equal(t, id, c["class_id"])
	assert.EqualValues(t, 30000, c["total_cents"])
	require.Len(t, c["lines"], 3)
	ok := f.line(t, c, 0)
	assert.Equal(t, true, ok["eligible"])
	assert.EqualValues(t, 30000, ok["amount_cents"])
	assert.Empty(t, ok["reasons"])
	assert.Equal(t, []string{"attendance_below_minimum"}, reasons(f.line(t, c, 1)))
	assert.Equal(t, []string{"not_passed"}, reasons(f.line(t, c, 2)))
	assert.EqualValues(t, 0, f.line(t, c, 2)["amount_cents"])

	again := f.draft(t, id, http.StatusOK)
	assert.Equal(t, c["id"], again["id"])
	assert.Equal(t, c["lines"], again["lines"])

	res := f.inst.Do("POST", classesPath+"/"+notDone+"/claims", nil)
	assert.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "class_not_completed", problemCode(t, res))

	_, other := f.institution(t)
	assert.Equal(t, http.StatusNotFound, other.Do("POST", classesPath+"/"+id+"/claims", nil).Status)

	list := f.inst.Do("GET", classesPath+"/"+id+"/claims", nil)
	require.Equal(t, http.StatusOK, list.Status)
	assert.Len(t, list.Map(t)["items"], 1)
	admin := f.app.As(f.admin).Do("GET", "/api/v1/admin/claims?status=submitted", nil)
	require.Equal(t, http.StatusOK, admin.Status)
	assert.Len(t, admin.Map(t)["items"], 1)
	for _, p := range f.people {
		assert.NotContains(t, string(list.Body), p.SSN)
		assert.NotContains(t, string(admin.Body), p.Name)
	}
	bad := f.app.As(f.admin).Do("GET", "/api/v1/admin/claims?status=paid", nil)
	assert.Equal(t, "invalid_status", problemCode(t, bad))
}

func TestClaims_FourthSubsidisedTrainingInAYearAndRepeatedOccupationLevelAreNotDue(t *testing.T) {
	f := newClaimFixture(t)
	occupations := []string{"6-18-02-01", "6-18-02-02", "6-18-02-03", "6-18-02-04", "6-18-02-01"}
	ids := make([]string, len(occupations))
	for i, occ := range occupations {
		members := []int{0}
		if i >= 3 {
			members = []int{0, 1}
		}
		ids[i] = f.fileApproved(t, "Y-"+occ+"-"+string(rune('a'+i)), safety(occ, members...))
	}
	f.end(t)
	for i, id := range ids {
		ts := []trainee{{0, "passed", 2, ""}}
		if i >= 3 {
			ts = append(ts, trainee{1, "passed", 2, ""})
		}
		f.complete(t, id, ts...)
	}
	for _, id := range ids[:3] {
		assert.Equal(t, true, f.line(t, f.draft(t, id, http.StatusCreated), 0)["eligible"])
	}
	fourth := f.draft(t, ids[3], http.StatusCreated)
	assert.Equal(t, []string{"annual_limit_reached"}, reasons(f.line(t, fourth, 0)))
	assert.Equal(t, true, f.line(t, fourth, 1)["eligible"], "another worker's first")
	repeat := f.draft(t, ids[4], http.StatusCreated)
	assert.Equal(t, []string{"annual_limit_reached", "occupation_level_already_subsidised"}, reasons(f.line(t, repeat, 0)))
	assert.Equal(t, true, f.line(t, repeat, 1)["eligible"], "6-18-02-01 is new to this worker")
}

func TestClaims_RejectedClaimsDoNotCountAndTheRepeatWindowIsASetting(t *testing.T) {
	f := newClaimFixture(t)
	a := f.fileApproved(t, "R-1", safety("6-29-01-01", 0))
	b := f.fileApproved(t, "R-2", safety("6-29-01-01", 0))
	c := f.fileApproved(t, "R-3", safety("6-29-01-01", 0))
	f.end(t)
	for _, id := range []string{a, b, c} {
		f.complete(t, id, trainee{0, "passed", 2, ""})
	}
	first := f.draft(t, a, http.StatusCreated)
	assert.Equal(t, []string{"occupation_level_already_subsidised"}, reasons(f.line(t, f.draft(t, b, http.StatusCreated), 0)))
	res := f.app.As(f.admin).Do("POST", "/api/v1/admin/claims/"+first["id"].(string)+"/review", map[string]any{"decision": "reject", "reason": "材料不全"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.Equal(t, "rejected", res.Map(t)["status"])
	assert.Equal(t, true, f.line(t, f.draft(t, c, http.StatusCreated), 0)["eligible"], "the rejected claim no longer counts")
}

func TestClaims_CertificateAndCardAreChecked(t *testing.T) {
	f := newClaimFixture(t)
	id := f.fileApproved(t, "C-1", classOpt{occupation: "6-18-01-01", item: "job_skills_upgrade", trainingTy: "job_skills_upgrade", members: []int{0, 1, 2}})
	_, evalTok := f.app.OrgToken(t, f.admin, "evaluation_org")
	for i, no := range map[int]string{0: "CL-000001", 2: "CL-000003"} {
		p := f.people[i]
		res := f.app.As(evalTok).Do("POST", "/api/v1/certificates", map[string]any{
			"certificate_no": no, "ssn": p.SSN, "name": p.Name, "type": "skill_level", "level": 4,
			"occupation_code": "6-18-01-01", "occupation_name": "焊工", "issued_on": f.day(0),
		})
		require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	}
	_, err := f.app.DB.SQL().ExecContext(context.Background(), "UPDATE worker_cards SET status = 'lost' WHERE worker_id = ?", f.workerID(t, f.people[2]))
	require.NoError(t, err)
	f.end(t)
	f.complete(t, id, trainee{0, "passed", 2, "CL-000001"}, trainee{1, "passed", 2, "CL-000002"}, trainee{2, "passed", 2, "CL-000003"})

	c := f.draft(t, id, http.StatusCreated)
	assert.Equal(t, true, f.line(t, c, 0)["eligible"])
	assert.EqualValues(t, 80000, f.line(t, c, 0)["amount_cents"])
	assert.Equal(t, []string{"certificate_missing"}, reasons(f.line(t, c, 1)), "a number at completion is not a certificate")
	assert.Equal(t, []string{"card_inactive"}, reasons(f.line(t, c, 2)))
	assert.EqualValues(t, 80000, c["total_cents"])
}

// TestClaims_TwoClaimsRacingForOneWorkerCannotBothPassTheAnnualLimit drafts the 3rd and 4th
// subsidised training of one worker at once: exactly one line is eligible.
func TestClaims_TwoClaimsRacingForOneWorkerCannotBothPassTheAnnualLimit(t *testing.T) {
	f := newClaimFixture(t)
	occ := []string{"6-29-02-01", "6-29-02-02", "6-29-02-03", "6-29-02-04"}
	ids := make([]string, len(occ))
	for i, o := range occ {
		ids[i] = f.fileApproved(t, "X-"+o, safety(o, 0))
	}
	f.end(t)
	for _, id := range ids {
		f.complete(t, id, trainee{0, "passed", 2, ""})
	}
	for _, id := range ids[:2] {
		f.draft(t, id, http.StatusCreated)
	}
	var (
		wg      sync.WaitGroup
		results [2]*apitest.Response
	)
	for i, id := range ids[2:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = f.inst.Do("POST", classesPath+"/"+id+"/claims", nil)
		}()
	}
	wg.Wait()
	eligible := 0
	for _, r := range results {
		require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
		if f.line(t, r.Map(t), 0)["eligible"] == true {
			eligible++
		}
	}
	assert.Equal(t, 1, eligible)
}
