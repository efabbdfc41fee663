package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// approvedClassToday files, as the institution, a class with one session over the whole of
// today in the bureau's time zone with p on the roster, and approves it as the bureau; it
// answers the class id.
func approvedClassToday(t *testing.T, s site, adminTok, instTok string, p apitest.Person) string {
	t.Helper()
	loc, err := time.LoadLocation(s.Config.TimeZone)
	require.NoError(t, err)
	today := s.Now().In(loc).Format("2006-01-02")
	c := post(t, s.As(instTok), "/api/v1/classes", map[string]any{
		"external_id": "WEB-CLASS-1", "course_name": "焊工安全岗前培训", "training_type": "pre_job",
		"occupation_code": "6-18-02-04", "subsidy_item": "pre_job_safety", "hours": 6,
		"start_date": today, "end_date": today,
		"sessions": []map[string]any{{"date": today, "starts_at": "00:00", "ends_at": "23:59"}},
		"location": "市中区公共实训基地", "teacher": "王老师", "capacity": 30,
		"roster": []map[string]any{{"ssn": p.SSN, "name": p.Name}},
	}, http.StatusCreated)
	id := c["id"].(string)
	post(t, s.As(adminTok), "/api/v1/admin/classes/"+id+"/review", map[string]any{"decision": "approve", "reason": "材料齐全"}, http.StatusOK)
	return id
}

// classroomCheckIn drives the classroom screen on /org/ (the institution's clerk signed in)
// and the worker's check-in on /app/ (the worker signed in) with the code it shows.
func classroomCheckIn(t *testing.T, s site, b *browser) {
	b.run(t, chromedp.Navigate(s.url+"/org/"), chromedp.WaitReady(chromedp.CSS(`#cc-class option`)),
		chromedp.Click(chromedp.CSS("#checkin-code-form button")))
	code := b.text(t, "#cc-code")
	require.Regexp(t, `^[0-9]{6}$`, code)
	payload := get(t, b, chromedp.AttributeValue(chromedp.CSS("#cc-screen img.qr"), "data-qr")).Value
	require.NotEmpty(t, payload, "the screen's QR code holds the class's payload")

	b.run(t, chromedp.Navigate(s.url+"/app/"), chromedp.WaitVisible(chromedp.CSS(`button[data-tab="classes"]`)),
		chromedp.Click(chromedp.CSS(`button[data-tab="classes"]`)), chromedp.WaitVisible(chromedp.CSS("#classes-body li, #classes-body p")),
		chromedp.SendKeys(chromedp.CSS("#ci-code"), "12345"), chromedp.Click(chromedp.CSS("#checkin-form button[type=submit]")))
	require.Contains(t, b.text(t, `#checkin-msg .error[data-code="code_invalid"]`), "签到码无效或已过期", "a refusal says what it means")
	b.accessible(t, "/app/ refused check-in")
	b.screenshot(t, "app-checkin-refused")

	b.run(t, setValue("#ci-code", code), chromedp.Click(chromedp.CSS("#checkin-form button[type=submit]")))
	require.Contains(t, b.text(t, "#checkin-msg .ok"), "签到成功：焊工安全岗前培训")
	b.run(t, chromedp.WaitVisible(chromedp.CSS(`#classes-body li[data-attended="1"]`)))
	require.Contains(t, b.text(t, "#classes-body li"), "100%", "the class shows the session attended")
	b.accessible(t, "/app/ classes")
	b.screenshot(t, "app-checkin")

	b.run(t, setValue("#ci-code", payload), chromedp.Click(chromedp.CSS("#checkin-form button[type=submit]")))
	require.Contains(t, b.text(t, `#checkin-msg [data-status="200"]`), "本节课已签到过", "the pasted QR payload checks into the same session")

	b.run(t, chromedp.Navigate(s.url+"/org/"), chromedp.WaitReady(chromedp.CSS(`#cc-class option`)),
		chromedp.Click(chromedp.CSS("#checkin-code-form button")), chromedp.WaitVisible(chromedp.CSS("#cc-code")))
	b.accessible(t, "/org/ classroom code")
	b.screenshot(t, "org-checkin-code")
}
