package web_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// voucherBatchAndClassTomorrow issues a general voucher batch anyone may claim, and files and
// approves a class starting tomorrow with another trainee on its roster; it answers the class id.
func voucherBatchAndClassTomorrow(t *testing.T, s site, adminTok, instTok string) (batchKey, classID string) {
	t.Helper()
	batchKey = fmt.Sprintf("web-batch-%d", time.Now().UnixNano()%1_000_000)
	post(t, s.As(adminTok), "/api/v1/admin/voucher-batches", map[string]any{
		"key": batchKey, "name": "岗前安全培训券", "kind": "general", "subsidy_item": "pre_job_safety",
		"face_value_cents": 30000, "valid_days": 30, "quantity": 10, "fund_source": "employment_subsidy"}, http.StatusCreated)
	other := apitest.NewPerson()
	s.Register(t, adminTok, other)
	loc, err := time.LoadLocation(s.Config.TimeZone)
	require.NoError(t, err)
	day := s.Now().In(loc).AddDate(0, 0, 1).Format("2006-01-02")
	c := post(t, s.As(instTok), "/api/v1/classes", map[string]any{
		"external_id": "WEB-CLASS-2", "course_name": "焊工安全岗前培训（二期）", "training_type": "pre_job",
		"occupation_code": "6-18-02-04", "subsidy_item": "pre_job_safety", "hours": 6,
		"start_date": day, "end_date": day,
		"sessions": []map[string]any{{"date": day, "starts_at": "09:00", "ends_at": "15:00"}},
		"location": "市中区公共实训基地", "teacher": "王老师", "capacity": 30,
		"roster": []map[string]any{{"ssn": other.SSN, "name": other.Name}},
	}, http.StatusCreated)
	classID = c["id"].(string)
	post(t, s.As(adminTok), "/api/v1/admin/classes/"+classID+"/review", map[string]any{"decision": "approve", "reason": "材料齐全"}, http.StatusOK)
	return batchKey, classID
}

// voucherClaimedAndUsed has the signed-in worker claim a voucher and show its code on /app/,
// and the institution's clerk paste that code onto the class on /org/.
func voucherClaimedAndUsed(t *testing.T, s site, b *browser, batchKey, classID string) {
	b.run(t, chromedp.Navigate(s.url+"/app/"), chromedp.WaitVisible(chromedp.CSS(`button[data-tab="vouchers"]`)),
		chromedp.Click(chromedp.CSS(`button[data-tab="vouchers"]`)),
		chromedp.Click(chromedp.CSS(`#batches-body li[data-batch-key="`+batchKey+`"] button`)))
	require.Contains(t, b.text(t, "#vouchers-msg .ok"), "已领取培训券")
	b.run(t, chromedp.Click(chromedp.CSS(`#vouchers-body li[data-state="claimed"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#vouchers-body img.qr")))
	code := get(t, b, chromedp.AttributeValue(chromedp.CSS("#vouchers-body img.qr"), "data-qr")).Value
	require.NotEmpty(t, code)
	require.Equal(t, code, get(t, b, chromedp.Value(chromedp.CSS("#vouchers-body textarea"))), "the code is also there to copy")
	b.accessible(t, "/app/ vouchers")
	b.screenshot(t, "app-voucher")

	b.run(t, chromedp.Click(chromedp.CSS(`#batches-body li[data-batch-key="`+batchKey+`"] button`)))
	require.Contains(t, b.text(t, "#vouchers-msg .error"), "未使用的培训券", "one unused voucher at a time")

	b.run(t, chromedp.Navigate(s.url+"/org/"), chromedp.WaitReady(chromedp.CSS(`#vo-class option[value="`+classID+`"]`)),
		setValue("#vo-class", classID), setValue("#vo-code", "forged"), chromedp.Click(chromedp.CSS("#voucher-form button[type=submit]")))
	require.Contains(t, b.text(t, `#voucher-msg .error[data-code="code_invalid"]`), "用券码无效")
	b.run(t, setValue("#vo-code", code), chromedp.Click(chromedp.CSS("#voucher-form button[type=submit]")))
	require.Contains(t, b.text(t, `#voucher-msg [data-status="201"]`), "学员已加入本班花名册")
	b.accessible(t, "/org/ voucher used")
	b.screenshot(t, "org-voucher")

	b.run(t, chromedp.Navigate(s.url+"/app/"), chromedp.WaitVisible(chromedp.CSS(`button[data-tab="vouchers"]`)),
		chromedp.Click(chromedp.CSS(`button[data-tab="vouchers"]`)))
	require.Contains(t, b.text(t, `#vouchers-body li[data-state="used"]`), "已使用")
}

// directedVoucherAccepted issues a directed batch, files and approves a voucher_required class
// with p on its roster (p is issued a voucher), and has the signed-in worker accept it.
func directedVoucherAccepted(t *testing.T, s site, b *browser, adminTok, instTok string, p apitest.Person) {
	post(t, s.As(adminTok), "/api/v1/admin/voucher-batches", map[string]any{
		"key": fmt.Sprintf("web-directed-%d", time.Now().UnixNano()%1_000_000), "name": "职业技能定向培训券", "kind": "directed",
		"subsidy_item": "vouchered_skills", "face_value_cents": 150000, "valid_days": 60, "quantity": 10,
		"fund_source": "employment_subsidy"}, http.StatusCreated)
	loc, err := time.LoadLocation(s.Config.TimeZone)
	require.NoError(t, err)
	day := s.Now().In(loc).AddDate(0, 0, 2).Format("2006-01-02")
	c := post(t, s.As(instTok), "/api/v1/classes", map[string]any{
		"external_id": "WEB-CLASS-3", "course_name": "焊工职业技能培训", "training_type": "employment_skills",
		"occupation_code": "6-18-02-04", "subsidy_item": "vouchered_skills", "hours": 6,
		"start_date": day, "end_date": day,
		"sessions": []map[string]any{{"date": day, "starts_at": "09:00", "ends_at": "15:00"}},
		"location": "市中区公共实训基地", "teacher": "王老师", "capacity": 30,
		"roster": []map[string]any{{"ssn": p.SSN, "name": p.Name}},
	}, http.StatusCreated)
	post(t, s.As(adminTok), "/api/v1/admin/classes/"+c["id"].(string)+"/review", map[string]any{"decision": "approve", "reason": "材料齐全"}, http.StatusOK)

	b.run(t, chromedp.Navigate(s.url+"/app/"), chromedp.WaitVisible(chromedp.CSS(`button[data-tab="vouchers"]`)),
		chromedp.Click(chromedp.CSS(`button[data-tab="vouchers"]`)),
		chromedp.Click(chromedp.CSS(`#vouchers-body li[data-state="issued"] button`)))
	require.Contains(t, b.text(t, "#vouchers-msg .ok"), "已接受培训券")
	// Both vouchers used now: the directed one (newest) and the general one.
	b.run(t, chromedp.WaitVisible(chromedp.CSS(`#vouchers-body li[data-state="used"]:first-child + li[data-state="used"]`)))
}
