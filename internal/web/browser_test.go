package web_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

// axe-core 4.10.2 from npm (MPL-2.0, testdata/axe.LICENSE.txt), vendored for this test only.
//
//go:embed testdata/axe.min.js
var axeSource string

// site is the whole service on a real listener, with the public URL its share links use.
type site struct {
	*apitest.App
	url string
}

func newSite(t *testing.T) site {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	a := apitest.NewApp(t, apitest.Options{Env: map[string]string{"SKILLRECORD_PUBLIC_URL": base}})
	srv := httptest.NewUnstartedServer(a.Handler())
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return site{App: a, url: base}
}

// chromium finds Debian's Chromium (or Chrome). The browser test never skips: without a
// browser it fails, and .ci/run installs one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: install it (apt-get install -y chromium); .ci/run does")
	return ""
}

// browser is one headless Chromium tab at phone width (360 px) that records script errors and
// Content-Security-Policy violations.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Headless,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(360, 740))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)))
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
				b.mu.Lock()
				b.problems = append(b.problems, string(m.Type)+": "+m.Text)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

func (b *browser) run(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(b.ctx, steps...))
}

// get runs one action that answers a value.
func get[T any](t *testing.T, b *browser, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	require.NoError(t, err)
	return v
}

func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	b.run(t, chromedp.WaitVisible(chromedp.CSS(sel)))
	return get(t, b, chromedp.Text(chromedp.CSS(sel)))
}

// accessible runs axe-core on the page as it is now and fails on any serious or critical
// violation.
func (b *browser) accessible(t *testing.T, what string) {
	t.Helper()
	if !get(t, b, chromedp.Evaluate[bool]("typeof axe !== 'undefined'")) {
		get(t, b, chromedp.Evaluate[chromedp.Void](axeSource+";undefined"))
	}
	bad := get(t, b, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
		.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => v.impact + ' ' + v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`, chromedp.EvalAwaitPromise))
	require.Empty(t, bad, "axe-core on %s", what)
	width := get(t, b, chromedp.Evaluate[int]("document.documentElement.scrollWidth"))
	require.LessOrEqual(t, width, 360, "%s scrolls sideways at 360 px", what)
}

// screenshot saves the page as a PNG under $SKILLRECORD_SCREENSHOTS (docs/screenshots with
// `make screenshots`), else in a temporary directory.
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("SKILLRECORD_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	png, err := shrinkPNG(get(t, b, chromedp.FullScreenshot(100)))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

func (b *browser) clean(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	require.Empty(t, b.problems, "script errors or CSP violations in the pages")
}

// post calls the API and requires the status.
func post(t *testing.T, c *apitest.Client, path string, body any, status int) map[string]any {
	t.Helper()
	res := c.Do("POST", path, body)
	require.Equal(t, status, res.Status, string(res.Body))
	return res.Map(t)
}

func csv(t *testing.T, p apitest.Person, rows ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("external_id,ssn,name,course_name,training_type,occupation_code,hours,start_date,end_date,result,subsidized\n")
	for _, r := range rows {
		b.WriteString(strings.NewReplacer("SSN", p.SSN, "NAME", p.Name).Replace(r) + "\n")
	}
	path := filepath.Join(t.TempDir(), "roster.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	return path
}

// setValue sets a form control's value as a paste would.
func setValue(sel, v string) chromedp.Action[chromedp.Void] {
	js, _ := json.Marshal(v)
	q, _ := json.Marshal(sel)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool](fmt.Sprintf("(document.querySelector(%s).value = %s, true)", q, js))(ctx, t)
		return err
	})
}

func staffLogin(name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(chromedp.CSS("#si-user")),
		chromedp.SendKeys(chromedp.CSS("#si-user"), name),
		chromedp.SendKeys(chromedp.CSS("#si-pw"), apitest.StaffPassword),
		chromedp.Click(chromedp.CSS("#signin-form button[type=submit]")),
	)
}

func TestPages_WorkerInstitutionAndEmployerEndToEndInChromium(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t)
	adminTok := s.AdminToken(t)
	instOrg := s.CreateOrg(t, adminTok, "training_institution")
	clerk := fmt.Sprintf("clerk-web-%d", time.Now().UnixNano()%1_000_000)
	link := post(t, s.As(adminTok), "/api/v1/admin/organizations/"+instOrg+"/users",
		map[string]string{"username": clerk, "display_name": "孙经办"}, http.StatusCreated)["set_password_url"].(string)
	empOrg := s.CreateOrg(t, adminTok, "employer")
	_, hr := s.StaffAccount(t, adminTok, empOrg)
	_, evalTok := s.OrgToken(t, adminTok, "evaluation_org")
	p := apitest.NewPerson()
	s.Register(t, adminTok, p)
	certNo := fmt.Sprintf("WEB-%d", time.Now().UnixNano()%1_000_000_000)
	post(t, s.As(evalTok), "/api/v1/certificates", map[string]any{
		"certificate_no": certNo, "ssn": p.SSN, "name": p.Name, "type": "skill_level",
		"occupation_code": "6-18-01-01", "occupation_name": "焊工", "level": 4, "issued_on": "2026-06-30"}, http.StatusCreated)

	t.Run("institution uploads a roster, sees its bad row, then submits and voids", func(t *testing.T) {
		require.True(t, strings.HasPrefix(link, s.url+"/org/#token="), link)
		b.run(t, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#sp-pw")))
		require.Equal(t, s.url+"/org/", get(t, b, chromedp.Location()), "the token leaves the address bar")
		b.accessible(t, "/org/ set-password")
		b.run(t, chromedp.SendKeys(chromedp.CSS("#sp-pw"), apitest.StaffPassword), chromedp.Click(chromedp.CSS("#setpw-form button")))
		require.Contains(t, b.text(t, "#setpw-msg .ok"), "密码已设置")
		b.screenshot(t, "org-signin")
		b.run(t, staffLogin(clerk), chromedp.WaitVisible(chromedp.CSS("#upload-form")))
		bad := csv(t, p,
			"WEB-1,SSN,NAME,焊接基础,job_skills_upgrade,6-18-01-01,64,2026-03-01,2026-03-20,passed,false",
			"WEB-2,SSN,NAME,焊接进阶,job_skills_upgrade,6-18-01-01,0,2026-04-01,2026-04-20,passed,false")
		b.run(t, chromedp.SetUploadFiles(chromedp.CSS("#up-file"), []string{bad}),
			chromedp.Click(chromedp.CSS("#upload-form button[type=submit]")))
		rows := b.text(t, "#bad-rows")
		require.Contains(t, rows, "3", "the sheet's row 3 holds the bad hours")
		require.Contains(t, rows, "hours")
		b.accessible(t, "/org/ with a refused sheet")
		b.screenshot(t, "org-upload-errors")
		require.Contains(t, b.text(t, "#records-body p"), "暂无记录", "a refused sheet writes nothing")

		good := csv(t, p,
			"WEB-1,SSN,NAME,焊接基础,job_skills_upgrade,6-18-01-01,64,2026-03-01,2026-03-20,passed,false",
			"WEB-2,SSN,NAME,焊接进阶,job_skills_upgrade,6-18-01-01,48,2026-04-01,2026-04-20,passed,false")
		b.run(t, chromedp.SetUploadFiles(chromedp.CSS("#up-file"), []string{good}),
			chromedp.Click(chromedp.CSS("#upload-form button[type=submit]")))
		require.Contains(t, b.text(t, "#upload-msg .ok"), "新增 2 条")
		require.Contains(t, b.text(t, `#records-body li[data-external-id="WEB-2"]`), "焊接进阶")
		b.run(t, chromedp.Click(chromedp.CSS(`#records-body li[data-external-id="WEB-2"] button.secondary`)),
			chromedp.SendKeys(chromedp.CSS(`#records-body li[data-external-id="WEB-2"] form.void input`), "学员重复报名"),
			chromedp.Click(chromedp.CSS(`#records-body li[data-external-id="WEB-2"] form.void button`)))
		require.Contains(t, b.text(t, "#records-msg .ok"), "已作废")
		b.accessible(t, "/org/ records")
		b.screenshot(t, "org-records")
	})

	var shareURL, credential string
	t.Run("worker activates, reads the record and shares it", func(t *testing.T) {
		b.run(t, chromedp.Navigate(s.url+"/app/"), chromedp.WaitVisible(chromedp.CSS("#activate-form")))
		b.accessible(t, "/app/ sign-in")
		b.screenshot(t, "app-signin")
		b.run(t, chromedp.SendKeys(chromedp.CSS("#ac-ssn"), p.SSN), chromedp.SendKeys(chromedp.CSS("#ac-name"), p.Name),
			chromedp.SendKeys(chromedp.CSS("#ac-card"), p.Card), chromedp.SendKeys(chromedp.CSS("#ac-pw"), "worker-pass-1"),
			chromedp.Click(chromedp.CSS("#activate-form button")))
		require.Equal(t, "14", b.text(t, "#balance"), "4 credits for 64 hours, 3 for 48 hours taken back by the void, 10 for the level-4 certificate")
		b.accessible(t, "/app/ summary")
		b.screenshot(t, "app-summary")

		for _, tab := range []string{"trainings", "credits", "access"} {
			b.run(t, chromedp.Click(chromedp.CSS(`button[data-tab="`+tab+`"]`)), chromedp.WaitVisible(chromedp.CSS("#"+tab+"-body li, #"+tab+"-body p")))
		}
		b.run(t, chromedp.Click(chromedp.CSS(`button[data-tab="credits"]`)))
		credits := b.text(t, "#credits-body")
		require.Contains(t, credits, "培训记录作废，冲销")
		require.Contains(t, credits, "取得证书")
		b.accessible(t, "/app/ credits")
		b.screenshot(t, "app-credits")

		b.run(t, chromedp.Click(chromedp.CSS(`button[data-tab="certificates"]`)),
			chromedp.Click(chromedp.CSS(`#certificates-body li button`)),
			chromedp.WaitVisible(chromedp.CSS(`#certificates-body img.qr`)))
		credential = get(t, b, chromedp.Value(chromedp.CSS(`#certificates-body textarea`)))
		require.Equal(t, 2, strings.Count(credential, "."), "a JWT")
		b.accessible(t, "/app/ certificates")
		b.screenshot(t, "app-credential")

		b.run(t, chromedp.Click(chromedp.CSS(`button[data-tab="shares"]`)),
			setValue("#sh-scope", "record"),
			chromedp.Click(chromedp.CSS("#share-form button")),
			chromedp.WaitVisible(chromedp.CSS("#share-new img.qr")))
		shareURL = get(t, b, chromedp.AttributeValue(chromedp.CSS("#share-new img.qr"), "data-qr")).Value
		require.True(t, strings.HasPrefix(shareURL, s.url+"/verify/#share="), shareURL)
		require.Contains(t, b.text(t, "#shares-body li"), "有效")
		b.accessible(t, "/app/ shares")
		b.screenshot(t, "app-share")

		b.run(t, chromedp.Click(chromedp.CSS(`button[data-tab="print"]`)), chromedp.Click(chromedp.CSS("#print-make")))
		require.Contains(t, b.text(t, "#print-body table"), "焊接基础")
		b.accessible(t, "/app/ 培训证明")
		b.screenshot(t, "app-print")
	})

	t.Run("employer checks the credential offline, verifies the certificate and opens the share", func(t *testing.T) {
		b.run(t, chromedp.Navigate(s.url+"/verify/"), chromedp.WaitVisible(chromedp.CSS("#cred-text")))
		b.accessible(t, "/verify/")
		b.run(t, setValue("#cred-text", credential), chromedp.Click(chromedp.CSS("#cred-form button[type=submit]")))
		require.Contains(t, b.text(t, "#sig-ok"), "签名有效")
		require.Equal(t, "有效", b.text(t, "#cred-status"))
		b.screenshot(t, "verify-credential")

		tampered := credential[:len(credential)-6] + "AAAAAA"
		b.run(t, setValue("#cred-text", tampered), chromedp.Click(chromedp.CSS("#cred-form button[type=submit]")))
		require.Contains(t, b.text(t, "#sig-bad"), "签名不正确")

		b.run(t, staffLogin(hr), chromedp.WaitVisible(chromedp.CSS("#cert-form")),
			chromedp.SendKeys(chromedp.CSS("#ce-no"), certNo), chromedp.SendKeys(chromedp.CSS("#ce-name"), p.Name),
			chromedp.Click(chromedp.CSS("#cert-form button")))
		require.Contains(t, b.text(t, "#cert-result .ok"), "有效")
		b.accessible(t, "/verify/ certificate")

		// The share's QR link, opened by a signed-out employer: sign in, and the share opens.
		b.run(t, chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#signin-form")),
			chromedp.Navigate(shareURL), staffLogin(hr))
		require.Contains(t, b.text(t, "#shared-ok"), "已打开")
		require.Equal(t, s.url+"/verify/", get(t, b, chromedp.Location()), "the token leaves the address bar")
		require.Contains(t, b.text(t, "#share-result"), p.Name)
		b.accessible(t, "/verify/ signed in")
		b.screenshot(t, "verify-share")
	})

	t.Run("worker sees who read the record", func(t *testing.T) {
		b.run(t, chromedp.Navigate(s.url+"/app/"), chromedp.WaitVisible(chromedp.CSS(`button[data-tab="access"]`)),
			chromedp.Click(chromedp.CSS(`button[data-tab="access"]`)))
		require.Contains(t, b.text(t, "#access-body ul"), "通过分享查看档案")
		b.accessible(t, "/app/ access log")
		b.screenshot(t, "app-access-log")
	})

	t.Run("institution shows a class's code and the worker checks in with it", func(t *testing.T) {
		instTok, _ := s.Token(t, map[string]string{"grant_type": "password", "username": clerk, "password": apitest.StaffPassword})
		approvedClassToday(t, s, adminTok, instTok, p)
		classroomCheckIn(t, s, b)
	})

	t.Run("worker sees a subsidy line claimed in their name and disputes it", func(t *testing.T) {
		instTok, _ := s.Token(t, map[string]string{"grant_type": "password", "username": clerk, "password": apitest.StaffPassword})
		claimedClassYesterday(t, s, adminTok, instTok, p)
		disputeASubsidy(t, s, b)
	})

	t.Run("worker claims a voucher and shows its code; the institution uses it on a class", func(t *testing.T) {
		instTok, _ := s.Token(t, map[string]string{"grant_type": "password", "username": clerk, "password": apitest.StaffPassword})
		batch, classID := voucherBatchAndClassTomorrow(t, s, adminTok, instTok)
		voucherClaimedAndUsed(t, s, b, batch, classID)
		directedVoucherAccepted(t, s, b, adminTok, instTok, p)
	})
	b.clean(t)
}
