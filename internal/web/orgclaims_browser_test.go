package web_test

import (
	"fmt"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// masked is how a claim line shows p: the surname, then the SSN's first 6 and last 4 characters.
func masked(p apitest.Person) (name, ssn string) {
	_, size := utf8.DecodeRuneInString(p.Name)
	return p.Name[:size] + "**", p.SSN[:6] + "********" + p.SSN[14:]
}

// openClass opens the class on /org/ (the clerk signed in).
func openClass(t *testing.T, s site, b *browser, classID string) {
	t.Helper()
	b.run(t, chromedp.Navigate(s.url+"/org/"),
		chromedp.Click(chromedp.CSS(`#classes-body li[data-class-id="`+classID+`"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#class-view [data-class-id="`+classID+`"]`)))
}

func TestPages_InstitutionDraftsTheClaimOfACompletedClassAndSeesItsDisputes(t *testing.T) {
	s := newSite(t)
	adminTok := s.AdminToken(t)
	instOrg := s.CreateOrg(t, adminTok, "training_institution")
	_, clerk := s.StaffAccount(t, adminTok, instOrg)
	instTok, _ := s.Token(t, map[string]string{"grant_type": "password", "username": clerk, "password": apitest.StaffPassword})
	p, _, workerTok := s.WorkerToken(t, adminTok)
	absent := apitest.NewPerson()
	s.Register(t, adminTok, absent)
	classID := completedClassYesterday(t, s, adminTok, instTok, p, absent)
	pName, pSSN := masked(p)
	aName, aSSN := masked(absent)

	t.Run("clerk drafts the claim and sees each trainee's verdict with its reasons", func(t *testing.T) {
		b := newBrowser(t)
		b.run(t, chromedp.Navigate(s.url+"/org/"), staffLogin(clerk), chromedp.WaitVisible(chromedp.CSS("#upload-form")))
		openClass(t, s, b, classID)
		require.Contains(t, b.text(t, "#class-view"), "已结业")
		b.run(t, chromedp.Click(chromedp.CSS("#claim-draft")))
		require.Contains(t, b.text(t, `#class-msg [data-status="201"]`), "已生成补贴申领")
		claim := b.text(t, `#claim[data-claim-status="submitted"]`)
		require.Contains(t, claim, "已申报，待审核")
		require.Contains(t, claim, "300.00 元", "the total is the one eligible line")
		require.Contains(t, claim, "1 / 2 人")

		eligible := b.text(t, `#claim-lines li[data-eligible="1"]`)
		require.Contains(t, eligible, pName)
		require.Contains(t, eligible, pSSN)
		require.Contains(t, eligible, "符合补贴条件")
		require.Contains(t, eligible, "300.00 元")
		ineligible := b.text(t, `#claim-lines li[data-eligible="0"]`)
		require.Contains(t, ineligible, aName)
		require.Contains(t, ineligible, aSSN)
		require.Contains(t, ineligible, "不符合补贴条件")
		require.Contains(t, ineligible, "未结业合格；出勤率未达到要求", "failed and absent, in the API's order")
		require.Contains(t, ineligible, "0.00 元")
		require.NotContains(t, b.text(t, "#claim-lines"), p.SSN, "only masked workers")
		b.accessible(t, "/org/ claim")
		b.screenshot(t, "org-claim")

		// Opened again, the class shows its claim and offers no second draft.
		openClass(t, s, b, classID)
		require.Contains(t, b.text(t, `#claim[data-claim-status="submitted"]`), "300.00 元")
		require.True(t, get(t, b, chromedp.Evaluate[bool](`document.getElementById('claim-draft') === null`)))
		b.clean(t)
	})

	t.Run("clerk sees the workers' disputes by status, a page at a time", func(t *testing.T) {
		worker := s.As(workerTok)
		line := worker.Do("GET", "/api/v1/me/subsidies", nil).Map(t)["items"].([]any)[0].(map[string]any)["line_id"].(string)
		post(t, worker, "/api/v1/me/disputes", map[string]any{"subject": "subsidy_line", "id": line, "reason": "本人未领到补贴"}, http.StatusCreated)
		training := worker.Do("GET", "/api/v1/me/trainings", nil).Map(t)["items"].([]any)[0].(map[string]any)["id"].(string)
		// 21 dismissed disputes of the record: one more than a page.
		for i := range 21 {
			d := post(t, worker, "/api/v1/me/disputes", map[string]any{"subject": "training", "id": training, "reason": fmt.Sprintf("培训时长不实（第 %d 次）", i+1)}, http.StatusCreated)
			post(t, s.As(adminTok), "/api/v1/admin/disputes/"+d["id"].(string)+"/resolve", map[string]any{"upheld": false, "reason": "签到记录完整"}, http.StatusOK)
		}

		b := newBrowser(t)
		b.run(t, chromedp.Navigate(s.url+"/org/"), staffLogin(clerk))
		open := b.text(t, `#disputes-body li[data-status="open"]`)
		require.Contains(t, open, "补贴：电工安全岗前培训", "the dispute names the class's line it is about")
		require.Contains(t, open, pName+"（"+pSSN+"）")
		require.Contains(t, open, "本人未领到补贴")
		require.Contains(t, open, "处理中")
		require.Equal(t, 1, get(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#disputes-body li').length`)), "open ones only")
		require.True(t, get(t, b, chromedp.Evaluate[bool](`document.getElementById('disputes-more').childNodes.length === 0`)), "one page")
		b.accessible(t, "/org/ disputes")
		b.screenshot(t, "org-disputes")

		b.run(t, setValue("#dp-status", "dismissed"), chromedp.Click(chromedp.CSS("#disputes-form button")),
			chromedp.WaitVisible(chromedp.CSS(`#disputes-body li[data-status="dismissed"]`)))
		dismissed := b.text(t, `#disputes-body li[data-status="dismissed"]`)
		require.Contains(t, dismissed, "培训记录：电工安全岗前培训（WEB-CLASS-0）")
		require.Contains(t, dismissed, pName+"（"+pSSN+"）", "the record's worker, through the claim line of its training")
		require.Contains(t, dismissed, "培训时长不实（第 21 次）", "newest first")
		require.Contains(t, dismissed, "申诉不成立")
		require.Contains(t, dismissed, "签到记录完整")
		require.Equal(t, 20, get(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#disputes-body li').length`)))
		b.run(t, chromedp.Click(chromedp.CSS("#disputes-more button")),
			chromedp.WaitVisible(chromedp.CSS(`#disputes-body li:nth-child(21)`)))
		require.Contains(t, b.text(t, `#disputes-body li:nth-child(21)`), "培训时长不实（第 1 次）")
		require.True(t, get(t, b, chromedp.Evaluate[bool](`document.getElementById('disputes-more').childNodes.length === 0`)), "the last page")

		b.run(t, setValue("#dp-status", "upheld"), chromedp.Click(chromedp.CSS("#disputes-form button")))
		require.Contains(t, b.text(t, "#disputes-body p"), "暂无申诉成立的争议")
		b.clean(t)
	})
}
