package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// submitted completes a class of people 0 and 1 (both eligible) and drafts its claim.
func (f *claimFixture) submitted(t *testing.T, ext string) map[string]any {
	t.Helper()
	f.classes++
	id := f.fileApproved(t, ext, safety(fmt.Sprintf("6-18-02-%02d", f.classes), 0, 1))
	f.end(t)
	f.complete(t, id, trainee{0, "passed", 2, ""}, trainee{1, "passed", 2, ""})
	return f.draft(t, id, http.StatusCreated)
}

func (f *claimFixture) reviewClaim(t *testing.T, id string, body map[string]any) *apitest.Response {
	t.Helper()
	return f.app.As(f.admin).Do("POST", "/api/v1/admin/claims/"+id+"/review", body)
}

func TestClaimReview_AnAdjustmentOnlyLowersALineAndApprovalPublishesANotice(t *testing.T) {
	f := newClaimFixture(t)
	c := f.submitted(t, "V-1")
	id, line := c["id"].(string), f.line(t, c, 0)["line_id"].(string)

	raise := f.reviewClaim(t, id, map[string]any{"decision": "approve", "adjustments": []map[string]any{{"line_id": line, "amount_cents": 40000, "reason": "多报"}}})
	require.Equal(t, http.StatusUnprocessableEntity, raise.Status, string(raise.Body))
	assert.Equal(t, "invalid_adjustment", problemCode(t, raise))

	res := f.reviewClaim(t, id, map[string]any{"decision": "approve", "reason": "核准", "adjustments": []map[string]any{{"line_id": line, "amount_cents": 20000, "reason": "课时不足"}}})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	got := res.Map(t)
	assert.Equal(t, "approved", got["status"])
	assert.EqualValues(t, 50000, got["total_cents"])
	assert.EqualValues(t, 20000, f.line(t, got, 0)["amount_cents"])
	assert.EqualValues(t, 30000, f.line(t, got, 0)["claimed_cents"])
	notice := got["notice"].(map[string]any)
	starts, _ := time.Parse(time.RFC3339Nano, notice["starts_at"].(string))
	ends, _ := time.Parse(time.RFC3339Nano, notice["ends_at"].(string))
	assert.Equal(t, 168*time.Hour, ends.Sub(starts), "the default notice period")

	again := f.reviewClaim(t, id, map[string]any{"decision": "approve"})
	assert.Equal(t, http.StatusConflict, again.Status)
	assert.Equal(t, "invalid_transition", problemCode(t, again))

	anyone := f.app.As("")
	list := anyone.Do("GET", "/api/v1/public/notices", nil)
	require.Equal(t, http.StatusOK, list.Status, string(list.Body))
	items := list.Map(t)["items"].([]any)
	require.Len(t, items, 1)
	one := anyone.Do("GET", "/api/v1/public/notices/"+notice["id"].(string), nil)
	require.Equal(t, http.StatusOK, one.Status)
	body := one.Map(t)
	assert.Equal(t, "焊工安全岗前培训", body["course_name"])
	assert.NotEmpty(t, body["institution_name"])
	trainees := body["trainees"].([]any)
	require.Len(t, trainees, 2)
	assert.ElementsMatch(t, []any{float64(20000), float64(30000)},
		[]any{trainees[0].(map[string]any)["amount_cents"], trainees[1].(map[string]any)["amount_cents"]})
	for _, p := range f.people {
		for _, raw := range [][]byte{list.Body, one.Body} {
			assert.NotContains(t, string(raw), p.SSN[:6], "no SSN in any form")
			assert.NotContains(t, string(raw), p.SSN[14:])
			assert.NotContains(t, string(raw), p.Name)
		}
	}
	assert.NotContains(t, string(one.Body), "ssn")
}

func TestObjections_FiveAnHourPerAddressThenUpheldSendsTheClaimBackToReview(t *testing.T) {
	f := newClaimFixture(t)
	c := f.submitted(t, "O-1")
	id := c["id"].(string)
	res := f.reviewClaim(t, id, map[string]any{"decision": "approve"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	noticeID := res.Map(t)["notice"].(map[string]any)["id"].(string)
	anyone := f.app.As("")
	path := "/api/v1/public/notices/" + noticeID + "/objections"
	for i := range 5 {
		r := anyone.Do("POST", path, map[string]any{"text": "该学员未参加培训", "contact": "13800000000"})
		require.Equal(t, http.StatusCreated, r.Status, "objection %d: %s", i, r.Body)
		assert.Equal(t, "open", r.Map(t)["status"])
	}
	limited := anyone.Do("POST", path, map[string]any{"text": "第六条"})
	assert.Equal(t, http.StatusTooManyRequests, limited.Status)
	assert.NotEmpty(t, limited.Header.Get("Retry-After"))

	admin := f.app.As(f.admin)
	open := admin.Do("GET", "/api/v1/admin/objections?status=open&limit=10", nil)
	require.Equal(t, http.StatusOK, open.Status)
	objs := open.Map(t)["items"].([]any)
	require.Len(t, objs, 5)
	assert.Equal(t, "13800000000", objs[0].(map[string]any)["contact"], "the bureau reads the contact")
	first, second := objs[0].(map[string]any)["id"].(string), objs[1].(map[string]any)["id"].(string)

	dismissed := admin.Do("POST", "/api/v1/admin/objections/"+first+"/resolve", map[string]any{"upheld": false, "reason": "经核实无误"})
	require.Equal(t, http.StatusOK, dismissed.Status, string(dismissed.Body))
	assert.Equal(t, "dismissed", dismissed.Map(t)["status"])
	assert.Equal(t, "approved", admin.Do("GET", "/api/v1/admin/claims/"+id, nil).Map(t)["status"])

	upheld := admin.Do("POST", "/api/v1/admin/objections/"+second+"/resolve", map[string]any{"upheld": true, "reason": "查实冒名"})
	require.Equal(t, http.StatusOK, upheld.Status, string(upheld.Body))
	back := admin.Do("GET", "/api/v1/admin/claims/"+id, nil).Map(t)
	assert.Equal(t, "submitted", back["status"])
	assert.Nil(t, back["notice"])
	assert.Equal(t, http.StatusNotFound, anyone.Do("GET", "/api/v1/public/notices/"+noticeID, nil).Status, "withdrawn")

	twice := admin.Do("POST", "/api/v1/admin/objections/"+second+"/resolve", map[string]any{"upheld": false, "reason": "x"})
	assert.Equal(t, http.StatusConflict, twice.Status)

	renewed := f.reviewClaim(t, id, map[string]any{"decision": "approve", "reason": "复核通过"})
	require.Equal(t, http.StatusOK, renewed.Status, string(renewed.Body))
	assert.NotEqual(t, noticeID, renewed.Map(t)["notice"].(map[string]any)["id"], "a new notice")
	assert.Len(t, admin.Do("GET", "/api/v1/admin/objections?status=upheld", nil).Map(t)["items"], 1)
}

func TestObjections_AfterTheNoticePeriodAre409NoticeClosed(t *testing.T) {
	f := newClaimFixture(t)
	c := f.submitted(t, "O-2")
	res := f.reviewClaim(t, c["id"].(string), map[string]any{"decision": "approve"})
	require.Equal(t, http.StatusOK, res.Status)
	path := "/api/v1/public/notices/" + res.Map(t)["notice"].(map[string]any)["id"].(string) + "/objections"
	anyone := f.app.As("")
	require.Equal(t, http.StatusCreated, anyone.Do("POST", path, map[string]any{"text": "有异议"}).Status)
	f.app.Advance(168 * time.Hour)
	closed := anyone.Do("POST", path, map[string]any{"text": "晚了"})
	assert.Equal(t, http.StatusConflict, closed.Status)
	assert.Equal(t, "notice_closed", problemCode(t, closed))
	bad := anyone.Do("POST", path, map[string]any{"text": ""})
	assert.Equal(t, http.StatusUnprocessableEntity, bad.Status)
}
