package apitest

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// StaffPassword is the password StaffAccount sets.
const StaffPassword = "staff-pass-2026"

var staffSeq atomic.Int64

// StaffAccount creates a staff account under orgID, spends its set-password link and returns
// the account's id and username (sign in with StaffPassword).
func (a *App) StaffAccount(t testing.TB, adminToken, orgID string) (id, username string) {
	t.Helper()
	username = "clerk" + time.Now().Format("150405") + "-" + strconv.FormatInt(staffSeq.Add(1), 10)
	res := a.As(adminToken).Do("POST", "/api/v1/admin/organizations/"+orgID+"/users",
		map[string]string{"username": username, "display_name": "王经办"})
	if res.Status != http.StatusCreated {
		t.Fatalf("create staff answered %d: %s", res.Status, res.Body)
	}
	var u struct {
		ID    string `json:"id"`
		Token string `json:"set_password_token"`
	}
	res.JSON(t, &u)
	set := a.As("").Do("POST", "/api/v1/auth/set-password", map[string]string{"token": u.Token, "password": StaffPassword})
	if set.Status != http.StatusNoContent {
		t.Fatalf("set password answered %d: %s", set.Status, set.Body)
	}
	return u.ID, username
}

// StaffToken creates an organisation of typ with a staff account and signs it in.
func (a *App) StaffToken(t testing.TB, adminToken, typ string) (orgID, userID, token string) {
	t.Helper()
	orgID = a.CreateOrg(t, adminToken, typ)
	userID, name := a.StaffAccount(t, adminToken, orgID)
	token, _ = a.Token(t, map[string]string{"grant_type": "password", "username": name, "password": StaffPassword})
	return orgID, userID, token
}
