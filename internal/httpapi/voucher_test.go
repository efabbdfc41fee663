package httpapi_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
)

const voucherBatchesPath = "/api/v1/admin/voucher-batches"

type voucherFixture struct {
	*claimFixture
}

func newVoucherFixture(t *testing.T) *voucherFixture {
	t.Helper()
	return &voucherFixture{claimFixture: newClaimFixture(t)}
}

// worker is a client signed in as the person.
func (f *voucherFixture) worker(t *testing.T, person int) *apitest.Client {
	t.Helper()
	return f.app.As(f.app.Mint(t, auth.Principal{ID: f.workerID(t, f.people[person]), Role: auth.RoleWorker}))
}

// batch creates a batch of the vouchered_skills item; change alters the request.
func (f *voucherFixture) batch(t *testing.T, key, kind string, quantity int, change func(map[string]any)) map[string]any {
	t.Helper()
	body := map[string]any{"key": key, "name": "2026年职业技能培训券", "kind": kind, "subsidy_item": "vouchered_skills",
		"face_value_cents": 100000, "valid_days": 30, "quantity": quantity, "fund_source": "employment_subsidy",
		"eligible": map[string]any{}}
	if change != nil {
		change(body)
	}
	res := f.app.As(f.admin).Do("POST", voucherBatchesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	return res.Map(t)
}

func (f *voucherFixture) claim(t *testing.T, person int, key string, want int) map[string]any {
	t.Helper()
	res := f.worker(t, person).Do("POST", "/api/v1/me/vouchers", map[string]any{"batch_key": key})
	require.Equal(t, want, res.Status, string(res.Body))
	return res.Map(t)
}

func (f *voucherFixture) code(t *testing.T, person int, id string) string {
	t.Helper()
	res := f.worker(t, person).Do("GET", "/api/v1/me/vouchers/"+id+"/code", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	return res.Map(t)["code"].(string)
}

// vouchered files and approves a class of the vouchered_skills item with the members.
func (f *voucherFixture) vouchered(t *testing.T, ext string, capacity int, members ...int) string {
	t.Helper()
	body := f.classBody(ext)
	roster := []map[string]any{}
	for _, i := range members {
		roster = append(roster, map[string]any{"ssn": f.people[i].SSN, "name": f.people[i].Name})
	}
	body["roster"], body["occupation_code"], body["subsidy_item"], body["training_type"] = roster, "6-18-02-04", "vouchered_skills", "employment_skills"
	body["capacity"] = capacity
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := res.Map(t)["id"].(string)
	require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)
	return id
}

func (f *voucherFixture) use(t *testing.T, inst *apitest.Client, classID, code string, want int) map[string]any {
	t.Helper()
	res := inst.Do("POST", classesPath+"/"+classID+"/vouchers", map[string]any{"code": code})
	require.Equal(t, want, res.Status, string(res.Body))
	return res.Map(t)
}

func (f *voucherFixture) refusals(t *testing.T, classID string) int {
	t.Helper()
	res := f.app.As(f.admin).Do("GET", "/api/v1/admin/supervision-flags?kind=voucher_refused&class_id="+classID, nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	return len(res.Map(t)["items"].([]any))
}

func TestVoucherBatches_CreateIsIdempotentListedReadAndClosed(t *testing.T) {
	f := newVoucherFixture(t)
	admin := f.app.As(f.admin)
	b := f.batch(t, "q1-general", "general", 10, nil)
	assert.Equal(t, "open", b["status"])
	assert.EqualValues(t, 0, b["issued"])
	again := admin.Do("POST", voucherBatchesPath, map[string]any{"key": "q1-general", "name": "2026年职业技能培训券", "kind": "general",
		"subsidy_item": "vouchered_skills", "face_value_cents": 100000, "valid_days": 30, "quantity": 10, "fund_source": "employment_subsidy", "eligible": map[string]any{}})
	assert.Equal(t, http.StatusOK, again.Status, string(again.Body))
	other := admin.Do("POST", voucherBatchesPath, map[string]any{"key": "q1-general", "name": "x", "kind": "general",
		"subsidy_item": "vouchered_skills", "face_value_cents": 100000, "valid_days": 30, "quantity": 10, "fund_source": "employment_subsidy"})
	assert.Equal(t, http.StatusConflict, other.Status)
	assert.Equal(t, "duplicate_conflict", problemCode(t, other))
	bad := admin.Do("POST", voucherBatchesPath, map[string]any{"key": "bad", "name": "x", "kind": "weekly",
		"subsidy_item": "nope", "face_value_cents": 0, "valid_days": 91, "quantity": 0, "fund_source": "x"})
	assert.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	assert.Equal(t, "invalid_batch", problemCode(t, bad))

	list := admin.Do("GET", voucherBatchesPath, nil)
	require.Equal(t, http.StatusOK, list.Status, string(list.Body))
	assert.Len(t, list.Map(t)["items"], 1)
	assert.Equal(t, http.StatusOK, admin.Do("GET", voucherBatchesPath+"/q1-general", nil).Status)
	assert.Equal(t, http.StatusNotFound, admin.Do("GET", voucherBatchesPath+"/nope", nil).Status)

	f.claim(t, 0, "q1-general", http.StatusCreated)
	closed := admin.Do("POST", voucherBatchesPath+"/q1-general/close", nil)
	require.Equal(t, http.StatusOK, closed.Status, string(closed.Body))
	assert.Equal(t, "closed", closed.Map(t)["status"])
	assert.Equal(t, "batch_closed", f.claim(t, 1, "q1-general", http.StatusConflict)["code"])
	mine := f.worker(t, 0).Do("GET", "/api/v1/me/vouchers", nil)
	require.Equal(t, http.StatusOK, mine.Status, string(mine.Body))
	assert.Equal(t, "claimed", mine.Map(t)["items"].([]any)[0].(map[string]any)["state"], "a held voucher stays good")
}

func TestVouchers_ASecondUnusedVoucherIsRefusedAndEligibilityIsChecked(t *testing.T) {
	f := newVoucherFixture(t)
	f.batch(t, "a", "general", 10, nil)
	f.batch(t, "b", "general", 10, nil)
	f.batch(t, "veterans", "general", 10, func(b map[string]any) { b["eligible"] = map[string]any{"trainee_groups": []string{"veteran"}} })
	avail := f.worker(t, 0).Do("GET", "/api/v1/me/vouchers/available", nil)
	require.Equal(t, http.StatusOK, avail.Status, string(avail.Body))
	assert.Len(t, avail.Map(t)["items"], 2, "not the veterans' batch")

	v := f.claim(t, 0, "a", http.StatusCreated)
	assert.Equal(t, "claimed", v["state"])
	assert.Equal(t, "a", v["batch_key"])
	assert.Equal(t, "general", v["kind"])
	assert.EqualValues(t, 100000, v["face_value_cents"])
	assert.Equal(t, f.day(30), v["expires_on"])
	assert.Equal(t, "voucher_limit", f.claim(t, 0, "b", http.StatusConflict)["code"])
	assert.Equal(t, "not_eligible", f.claim(t, 1, "veterans", http.StatusConflict)["code"])

	// Once the first has expired, another may be claimed.
	f.app.Advance(31 * 24 * time.Hour)
	mine := f.worker(t, 0).Do("GET", "/api/v1/me/vouchers", nil).Map(t)["items"].([]any)
	assert.Equal(t, "expired", mine[0].(map[string]any)["state"])
	f.claim(t, 0, "b", http.StatusCreated)
}

func TestVouchers_TwoWorkersRacingForTheLastVoucherOneWins(t *testing.T) {
	f := newVoucherFixture(t)
	f.batch(t, "last", "general", 1, nil)
	clients := []*apitest.Client{f.worker(t, 0), f.worker(t, 1)}
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = c.Do("POST", "/api/v1/me/vouchers", map[string]any{"batch_key": "last"}).Status
		}()
	}
	wg.Wait()
	assert.ElementsMatch(t, []int{http.StatusCreated, http.StatusConflict}, statuses)
	assert.Equal(t, "batch_exhausted", f.claim(t, 2, "last", http.StatusConflict)["code"])
	st := f.app.As(f.admin).Do("GET", voucherBatchesPath+"/last/stats", nil)
	require.Equal(t, http.StatusOK, st.Status, string(st.Body))
	assert.EqualValues(t, 1, st.Map(t)["issued"])
	assert.EqualValues(t, 1, st.Map(t)["claimed"])
}

func TestVouchers_UsingACodeBindsTheVoucherAndJoinsTheRoster(t *testing.T) {
	f := newVoucherFixture(t)
	f.batch(t, "g", "general", 10, nil)
	v := f.claim(t, 3, "g", http.StatusCreated)
	class := f.vouchered(t, "V-1", 3, 0)
	code := f.code(t, 3, v["id"].(string))

	used := f.use(t, f.inst, class, code, http.StatusCreated)
	assert.Equal(t, "used", used["state"])
	assert.Equal(t, class, used["class_id"])
	again := f.use(t, f.inst, class, code, http.StatusOK)
	assert.Equal(t, "used", again["state"])
	events := f.app.As(f.admin).Do("GET", eventsPath+"?kinds=voucher.used", nil)
	require.Equal(t, http.StatusOK, events.Status, string(events.Body))
	evs := events.Map(t)["items"].([]any)
	require.Len(t, evs, 1, "one voucher.used, in the use's transaction, none for the repeat")
	assert.Equal(t, v["id"], evs[0].(map[string]any)["subject_id"])
	assert.Equal(t, f.instID, evs[0].(map[string]any)["org_id"])
	got := f.inst.Do("GET", classesPath+"/"+class, nil)
	require.Equal(t, http.StatusOK, got.Status, string(got.Body))
	assert.Len(t, got.Map(t)["roster"], 2, "the worker joined the roster")

	// The code replayed on a second class is refused and flagged.
	second := f.vouchered(t, "V-2", 3, 1)
	assert.Equal(t, "voucher_used", f.use(t, f.inst, second, code, http.StatusConflict)["code"])
	assert.Equal(t, 1, f.refusals(t, second))

	st := f.app.As(f.admin).Do("GET", voucherBatchesPath+"/g/stats?format=csv", nil)
	require.Equal(t, http.StatusOK, st.Status)
	assert.Equal(t, "\ufeffbatch_key,issued,claimed,used,settled,expired,cancelled,settled_cents,use_rate\r\ng,1,0,1,0,0,0,0,1\r\n", string(st.Body))
}

func TestVouchers_ACodeAfterFiveMinutesOrForgedIsCodeInvalid(t *testing.T) {
	f := newVoucherFixture(t)
	f.batch(t, "g", "general", 10, nil)
	v := f.claim(t, 3, "g", http.StatusCreated)
	class := f.vouchered(t, "V-1", 3, 0)
	code := f.code(t, 3, v["id"].(string))
	f.app.Advance(5*time.Minute + time.Second)
	assert.Equal(t, "code_invalid", f.use(t, f.inst, class, code, http.StatusUnprocessableEntity)["code"])
	forged := code[:len(code)-2] + "AA"
	assert.Equal(t, "code_invalid", f.use(t, f.inst, class, forged, http.StatusUnprocessableEntity)["code"])
	assert.Equal(t, 2, f.refusals(t, class))
	fresh := f.code(t, 3, v["id"].(string))
	f.use(t, f.inst, class, fresh, http.StatusCreated)
}

func TestVouchers_AVoucherOfAnotherInstitutionsScopeIsRefused(t *testing.T) {
	f := newVoucherFixture(t)
	otherID, _ := f.institution(t)
	f.batch(t, "theirs", "general", 10, func(b map[string]any) {
		b["eligible"] = map[string]any{"institution_ids": []string{otherID}}
	})
	v := f.claim(t, 3, "theirs", http.StatusCreated)
	assert.Equal(t, []any{otherID}, v["scope"].(map[string]any)["institution_ids"])
	class := f.vouchered(t, "V-1", 3, 0)
	assert.Equal(t, "voucher_out_of_scope", f.use(t, f.inst, class, f.code(t, 3, v["id"].(string)), http.StatusConflict)["code"])
	assert.Equal(t, 1, f.refusals(t, class))
}

func TestVouchers_AFullOrStartedClassRefusesTheVoucher(t *testing.T) {
	f := newVoucherFixture(t)
	f.batch(t, "g", "general", 10, nil)
	v := f.claim(t, 3, "g", http.StatusCreated)
	full := f.vouchered(t, "V-1", 1, 0)
	assert.Equal(t, "class_full", f.use(t, f.inst, full, f.code(t, 3, v["id"].(string)), http.StatusConflict)["code"])
	open := f.vouchered(t, "V-2", 3, 0)
	f.app.Advance(3 * 24 * time.Hour)
	f.reauth(t)
	assert.Equal(t, "class_started", f.use(t, f.inst, open, f.code(t, 3, v["id"].(string)), http.StatusConflict)["code"])
}

func TestVouchers_DirectedVouchersGoToTheRosterAtApproval(t *testing.T) {
	f := newVoucherFixture(t)
	f.batch(t, "d", "directed", 10, nil)
	body := f.classBody("D-1")
	body["roster"] = []map[string]any{{"ssn": f.people[0].SSN, "name": f.people[0].Name}, {"ssn": f.people[1].SSN, "name": f.people[1].Name}}
	body["occupation_code"], body["subsidy_item"], body["training_type"] = "6-18-02-04", "vouchered_skills", "employment_skills"
	res := f.inst.Do("POST", classesPath, body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	id := res.Map(t)["id"].(string)
	// Worker 1 leaves the roster before the approval: no voucher for them.
	patch := f.inst.Do("PATCH", classesPath+"/"+id+"/roster", map[string]any{"remove": []string{f.people[1].SSN}})
	require.Equal(t, http.StatusOK, patch.Status, string(patch.Body))
	require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)

	assert.Empty(t, f.worker(t, 1).Do("GET", "/api/v1/me/vouchers", nil).Map(t)["items"])
	items := f.worker(t, 0).Do("GET", "/api/v1/me/vouchers", nil).Map(t)["items"].([]any)
	require.Len(t, items, 1)
	v := items[0].(map[string]any)
	assert.Equal(t, "issued", v["state"])
	assert.Equal(t, id, v["class_id"])
	acc := f.worker(t, 0).Do("POST", "/api/v1/me/vouchers/"+v["id"].(string)+"/accept", nil)
	require.Equal(t, http.StatusOK, acc.Status, string(acc.Body))
	assert.Equal(t, "used", acc.Map(t)["state"])
	other := f.worker(t, 1).Do("POST", "/api/v1/me/vouchers/"+v["id"].(string)+"/accept", nil)
	assert.Equal(t, http.StatusNotFound, other.Status)
}
