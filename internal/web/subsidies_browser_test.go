package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// claimedClassYesterday completes a class held yesterday with p passed and drafts its subsidy
// claim: p now has one subsidy line.
func claimedClassYesterday(t *testing.T, s site, adminTok, instTok string, p apitest.Person) {
	t.Helper()
	id := completedClassYesterday(t, s, adminTok, instTok, p)
	post(t, s.As(instTok), "/api/v1/classes/"+id+"/claims", nil, http.StatusCreated)
}

// completedClassYesterday files a class held yesterday with p and absent on the roster (a late
// filing), has the bureau approve it, posts p's card-reader check-in and completes it with p
// passed and everyone absent failed; it answers the class id.
func completedClassYesterday(t *testing.T, s site, adminTok, instTok string, p apitest.Person, absent ...apitest.Person) string {
	t.Helper()
	loc, err := time.LoadLocation(s.Config.TimeZone)
	require.NoError(t, err)
	y := s.Now().In(loc).AddDate(0, 0, -1)
	day := y.Format("2006-01-02")
	roster := []map[string]any{{"ssn": p.SSN, "name": p.Name}}
	trainees := []map[string]any{{"ssn": p.SSN, "result": "passed"}}
	for _, a := range absent {
		roster = append(roster, map[string]any{"ssn": a.SSN, "name": a.Name})
		trainees = append(trainees, map[string]any{"ssn": a.SSN, "result": "failed"})
	}
	c := post(t, s.As(instTok), "/api/v1/classes", map[string]any{
		"external_id": "WEB-CLASS-0", "course_name": "电工安全岗前培训", "training_type": "pre_job",
		"occupation_code": "6-18-02-04", "subsidy_item": "pre_job_safety", "hours": 6,
		"start_date": day, "end_date": day,
		"sessions": []map[string]any{{"date": day, "starts_at": "09:00", "ends_at": "15:00"}},
		"location": "市中区公共实训基地", "teacher": "李老师", "capacity": 30,
		"roster": roster,
	}, http.StatusCreated)
	id := c["id"].(string)
	post(t, s.As(adminTok), "/api/v1/admin/classes/"+id+"/review", map[string]any{"decision": "approve", "reason": "材料齐全"}, http.StatusOK)
	post(t, s.As(instTok), "/api/v1/classes/"+id+"/checkins", map[string]any{"session_date": day, "entries": []map[string]any{{
		"ssn": p.SSN, "method": "card_reader",
		"checked_in_at": time.Date(y.Year(), y.Month(), y.Day(), 8, 55, 0, 0, loc).Format(time.RFC3339)}}}, http.StatusOK)
	post(t, s.As(instTok), "/api/v1/classes/"+id+"/completion", map[string]any{"trainees": trainees}, http.StatusCreated)
	return id
}

// disputeASubsidy has the signed-in worker find the subsidy line on /app/ and dispute it.
func disputeASubsidy(t *testing.T, s site, b *browser) {
	b.run(t, chromedp.Navigate(s.url+"/app/"), chromedp.WaitVisible(chromedp.CSS(`button[data-tab="subsidies"]`)),
		chromedp.Click(chromedp.CSS(`button[data-tab="subsidies"]`)))
	line := b.text(t, "#subsidies-body li[data-line-id]")
	require.Contains(t, line, "电工安全岗前培训")
	require.Contains(t, line, "300.00 元")
	require.Contains(t, line, "已申报，待审核")
	require.Contains(t, b.text(t, "#disputes-body p"), "暂无申诉")
	b.run(t, chromedp.Click(chromedp.CSS("#subsidies-body li[data-line-id] > button")),
		chromedp.SendKeys(chromedp.CSS("#subsidies-body form.dispute textarea"), "本人未参加该培训"),
		chromedp.Click(chromedp.CSS("#subsidies-body form.dispute button")))
	require.Contains(t, b.text(t, "#subsidies-msg .ok"), "申诉已提交")
	dispute := b.text(t, `#disputes-body li[data-status="open"]`)
	require.Contains(t, dispute, "本人未参加该培训")
	require.Contains(t, dispute, "补贴：电工安全岗前培训", "the dispute names the line it is about")
	b.accessible(t, "/app/ subsidies")
	b.screenshot(t, "app-subsidies")

	// The same line again: one open dispute of a subject at a time.
	b.run(t, chromedp.Click(chromedp.CSS("#subsidies-body li[data-line-id] > button")),
		chromedp.SendKeys(chromedp.CSS("#subsidies-body form.dispute textarea"), "再次申诉"),
		chromedp.Click(chromedp.CSS("#subsidies-body form.dispute button")))
	require.Contains(t, b.text(t, "#subsidies-msg .error"), "已有处理中的申诉")

	// A training record disputed from the trainings tab shows in the same list.
	b.run(t, chromedp.Click(chromedp.CSS(`button[data-tab="trainings"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#trainings-body li[data-training-id] > button`)),
		chromedp.Click(chromedp.CSS(`#trainings-body li[data-training-id] > button`)),
		chromedp.SendKeys(chromedp.CSS("#trainings-body form.dispute textarea"), "培训时长不实"),
		chromedp.Click(chromedp.CSS("#trainings-body form.dispute button")))
	require.Contains(t, b.text(t, "#trainings-msg .ok"), "申诉已提交")
	b.accessible(t, "/app/ trainings with a dispute")
	b.run(t, chromedp.Click(chromedp.CSS(`button[data-tab="subsidies"]`)))
	require.Contains(t, b.text(t, `#disputes-body li[data-subject="training"]`), "培训记录：电工安全岗前培训")
}
