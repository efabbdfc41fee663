package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

func TestStaff_SetPasswordLinkWorksOnceAndSignsInWithTheOrgsRights(t *testing.T) {
	a := apitest.NewApp(t)
	adminTok := a.AdminToken(t)
	admin := a.As(adminTok)
	orgID := a.CreateOrg(t, adminTok, "training_institution")

	res := admin.Do("POST", "/api/v1/admin/organizations/"+orgID+"/users", map[string]string{"username": "Clerk.Li", "display_name": "李经办"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var u struct {
		ID, Username, SetPasswordToken, SetPasswordURL string
		ExpiresAt                                      time.Time
	}
	m := res.Map(t)
	u.ID, u.Username, u.SetPasswordToken, u.SetPasswordURL = m["id"].(string), m["username"].(string), m["set_password_token"].(string), m["set_password_url"].(string)
	assert.Equal(t, "clerk.li", u.Username)
	assert.True(t, strings.HasSuffix(u.SetPasswordURL, "#token="+u.SetPasswordToken), u.SetPasswordURL)
	exp, err := time.Parse(time.RFC3339Nano, m["expires_at"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, a.Now().Add(72*time.Hour), exp, time.Minute)

	anon := a.As("")
	weak := anon.Do("POST", "/api/v1/auth/set-password", map[string]string{"token": u.SetPasswordToken, "password": "onlyletters"})
	require.Equal(t, http.StatusUnprocessableEntity, weak.Status)
	assert.Equal(t, "weak_password", weak.Map(t)["code"])
	ok := anon.Do("POST", "/api/v1/auth/set-password", map[string]string{"token": u.SetPasswordToken, "password": "clerk-pass-1"})
	require.Equal(t, http.StatusNoContent, ok.Status, string(ok.Body))
	again := anon.Do("POST", "/api/v1/auth/set-password", map[string]string{"token": u.SetPasswordToken, "password": "clerk-pass-2"})
	require.Equal(t, http.StatusUnprocessableEntity, again.Status)
	assert.Equal(t, "invalid_token", again.Map(t)["code"])

	tok, _ := a.Token(t, map[string]string{"grant_type": "password", "username": "clerk.li", "password": "clerk-pass-1"})
	list := a.As(tok).Do("GET", "/api/v1/trainings", nil)
	assert.Equal(t, http.StatusOK, list.Status, string(list.Body))
	assert.Equal(t, http.StatusForbidden, a.As(tok).Do("GET", "/api/v1/admin/organizations", nil).Status)

	void := a.As(tok).Do("POST", "/api/v1/trainings/0190a0b0-0000-7000-8000-000000000000/void", map[string]string{"reason": "录入错误"})
	assert.Equal(t, http.StatusNotFound, void.Status, string(void.Body))
	ev := admin.Do("GET", "/api/v1/admin/audit-events?action=training.void&actor="+u.ID, nil)
	require.Equal(t, http.StatusOK, ev.Status, string(ev.Body))
	items := ev.Map(t)["items"].([]any)
	require.Len(t, items, 1)
	e := items[0].(map[string]any)
	assert.Equal(t, "training_institution", e["actor_role"])
	assert.Equal(t, orgID, e["org_id"])
}

func TestStaff_ExpiredLinkIsInvalidToken(t *testing.T) {
	a := apitest.NewApp(t)
	adminTok := a.AdminToken(t)
	orgID := a.CreateOrg(t, adminTok, "employer")
	res := a.As(adminTok).Do("POST", "/api/v1/admin/organizations/"+orgID+"/users", map[string]string{"username": "hr-zhao", "display_name": "赵"})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	a.Advance(72*time.Hour + time.Minute)
	late := a.As("").Do("POST", "/api/v1/auth/set-password", map[string]string{"token": res.Map(t)["set_password_token"].(string), "password": "hr-pass-2026"})
	require.Equal(t, http.StatusUnprocessableEntity, late.Status)
	assert.Equal(t, "invalid_token", late.Map(t)["code"])
}

func TestStaff_UsernamesShareTheAdminNamespace(t *testing.T) {
	a := apitest.NewApp(t)
	adminTok := a.AdminToken(t)
	orgID := a.CreateOrg(t, adminTok, "employer")
	a.CreateAdmin(t, "bureau-qian", "admin-pass-2026")
	res := a.As(adminTok).Do("POST", "/api/v1/admin/organizations/"+orgID+"/users", map[string]string{"username": "bureau-qian", "display_name": "钱"})
	require.Equal(t, http.StatusConflict, res.Status, string(res.Body))
	assert.Equal(t, "username_taken", res.Map(t)["code"])
	_, name := a.StaffAccount(t, adminTok, orgID)
	res = a.As(adminTok).Do("POST", "/api/v1/admin/organizations/"+orgID+"/users", map[string]string{"username": name, "display_name": "钱"})
	assert.Equal(t, http.StatusConflict, res.Status)
}

func TestStaff_DisablingOrSuspendingStopsTokensOnTheNextRequest(t *testing.T) {
	a := apitest.NewApp(t)
	adminTok := a.AdminToken(t)
	admin := a.As(adminTok)
	orgID, userID, tok := a.StaffToken(t, adminTok, "employer")
	staff := a.As(tok)
	verify := func() int {
		return staff.Do("POST", "/api/v1/verify/certificates", map[string]string{"certificate_no": "NO-SUCH-1", "name": "张三"}).Status
	}
	require.Equal(t, http.StatusNotFound, verify())

	list := admin.Do("GET", "/api/v1/admin/organizations/"+orgID+"/users", nil)
	require.Equal(t, http.StatusOK, list.Status, string(list.Body))
	assert.Len(t, list.Map(t)["items"], 1)

	off := admin.Do("PATCH", "/api/v1/admin/organizations/"+orgID+"/users/"+userID, map[string]string{"status": "disabled"})
	require.Equal(t, http.StatusOK, off.Status, string(off.Body))
	assert.Equal(t, "disabled", off.Map(t)["status"])
	assert.Equal(t, http.StatusUnauthorized, verify())

	on := admin.Do("PATCH", "/api/v1/admin/organizations/"+orgID+"/users/"+userID, map[string]string{"status": "active"})
	require.Equal(t, http.StatusOK, on.Status, string(on.Body))
	require.Equal(t, http.StatusNotFound, verify())

	sus := admin.Do("PATCH", "/api/v1/admin/organizations/"+orgID, map[string]string{"status": "suspended", "reason": "抽查不合格"})
	require.Equal(t, http.StatusOK, sus.Status, string(sus.Body))
	assert.Equal(t, http.StatusUnauthorized, verify())

	other := admin.Do("PATCH", "/api/v1/admin/organizations/"+a.CreateOrg(t, adminTok, "employer")+"/users/"+userID, map[string]string{"status": "disabled"})
	assert.Equal(t, http.StatusNotFound, other.Status)
}

func TestStaff_RefreshRotatesUntilTheAccountIsDisabled(t *testing.T) {
	a := apitest.NewApp(t)
	adminTok := a.AdminToken(t)
	orgID := a.CreateOrg(t, adminTok, "college")
	userID, name := a.StaffAccount(t, adminTok, orgID)
	_, refresh := a.Token(t, map[string]string{"grant_type": "password", "username": name, "password": apitest.StaffPassword})
	_, refresh = a.Token(t, map[string]string{"grant_type": "refresh_token", "refresh_token": refresh})

	off := a.As(adminTok).Do("PATCH", "/api/v1/admin/organizations/"+orgID+"/users/"+userID, map[string]string{"status": "disabled"})
	require.Equal(t, http.StatusOK, off.Status, string(off.Body))
	res := a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "refresh_token", "refresh_token": refresh})
	assert.Equal(t, http.StatusUnauthorized, res.Status)
	res = a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "password", "username": name, "password": apitest.StaffPassword})
	assert.Equal(t, http.StatusUnauthorized, res.Status)
	assert.Equal(t, "invalid_grant", res.Map(t)["code"])
}
