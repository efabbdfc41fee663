package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

func TestOrganizations_CreateValidatesAndRefusesDuplicates(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.As(a.AdminToken(t))
	code := apitest.CreditCode()
	res := admin.Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "枣庄市公共实训基地", "type": "training_institution", "credit_code": code, "region_code": "370400",
		"designations": []map[string]string{{"kind": "public_training_base", "granted_on": "2023-05-01"}},
	})
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	o := res.Map(t)
	assert.Equal(t, "active", o["status"])
	assert.Equal(t, "/api/v1/admin/organizations/"+o["id"].(string), res.Header.Get("Location"))
	assert.Len(t, o["designations"], 1)

	dup := admin.Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "另一家", "type": "employer", "credit_code": code, "region_code": "370400"})
	assert.Equal(t, http.StatusConflict, dup.Status)
	assert.Equal(t, "duplicate_conflict", dup.Map(t)["code"])

	bad := admin.Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "", "type": "bank", "credit_code": "91350100M000100Y44", "region_code": "990000",
		"designations": []map[string]string{{"kind": "castle", "granted_on": "2023-05-01"}}})
	require.Equal(t, http.StatusUnprocessableEntity, bad.Status)
	fields := map[string]string{}
	for _, e := range bad.Map(t)["errors"].([]any) {
		m := e.(map[string]any)
		fields[m["field"].(string)] = m["code"].(string)
	}
	assert.Equal(t, map[string]string{
		"name": "invalid_name", "type": "invalid_type", "credit_code": "invalid_credit_code",
		"region_code": "invalid_area_code", "designations[0].kind": "invalid_designation",
	}, fields)
}

func TestOrganizations_ListFiltersAndPages(t *testing.T) {
	a := apitest.NewApp(t)
	tok := a.AdminToken(t)
	admin := a.As(tok)
	var employers []string
	for i := 0; i < 5; i++ {
		employers = append(employers, a.CreateOrg(t, tok, "employer"))
	}
	a.CreateOrg(t, tok, "college")

	var seen []string
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		url := "/api/v1/admin/organizations?type=employer&limit=2"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		res := admin.Do("GET", url, nil)
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		var body struct {
			Items      []struct{ ID, Type string } `json:"items"`
			NextCursor *string                     `json:"next_cursor"`
		}
		res.JSON(t, &body)
		assert.LessOrEqual(t, len(body.Items), 2)
		for _, it := range body.Items {
			assert.Equal(t, "employer", it.Type)
			seen = append(seen, it.ID)
		}
		if body.NextCursor == nil {
			break
		}
		cursor = *body.NextCursor
	}
	assert.Equal(t, employers, seen, "every employer once, in creation order")

	for _, q := range []string{"limit=0", "limit=101", "limit=x", "cursor=!!", "type=bank", "status=asleep"} {
		res := admin.Do("GET", "/api/v1/admin/organizations?"+q, nil)
		assert.Equalf(t, http.StatusUnprocessableEntity, res.Status, "?%s", q)
	}
}

func TestOrganizations_StatusChangeNeedsReasonAndRemovalIsFinal(t *testing.T) {
	a := apitest.NewApp(t)
	tok := a.AdminToken(t)
	admin := a.As(tok)
	id := a.CreateOrg(t, tok, "evaluation_org")
	path := "/api/v1/admin/organizations/" + id

	res := admin.Do("PATCH", path, map[string]string{"status": "suspended"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "reason_required", res.Map(t)["code"])

	res = admin.Do("PATCH", path, map[string]string{"status": "suspended", "reason": "audit"})
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "suspended", res.Map(t)["status"])
	assert.Equal(t, "audit", res.Map(t)["status_reason"])

	require.Equal(t, http.StatusOK, admin.Do("PATCH", path, map[string]string{"status": "removed", "reason": "closed"}).Status)
	res = admin.Do("PATCH", path, map[string]string{"status": "active", "reason": "reopened"})
	assert.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "invalid_transition", res.Map(t)["code"])
	assert.Equal(t, http.StatusConflict, admin.Do("POST", path+"/clients", nil).Status)

	res = admin.Do("PATCH", path, map[string]any{"designations": []map[string]string{{"kind": "national_master_studio", "granted_on": "2024-01-02"}}})
	require.Equal(t, http.StatusOK, res.Status)
	assert.Len(t, res.Map(t)["designations"], 1)

	got := admin.Do("GET", path, nil)
	require.Equal(t, http.StatusOK, got.Status)
	assert.Equal(t, "removed", got.Map(t)["status"])
	assert.Equal(t, http.StatusNotFound, admin.Do("GET", "/api/v1/admin/organizations/0190a1b2-0000-7000-8000-000000000000", nil).Status)
	assert.Equal(t, http.StatusNotFound, admin.Do("GET", "/api/v1/admin/organizations/not-a-uuid", nil).Status)
	assert.Equal(t, http.StatusBadRequest, admin.Do("PATCH", path, map[string]any{"status": "active", "colour": "red"}).Status)
}

func TestOrganizations_ClientSecretIsShownOnceAndStoredHashed(t *testing.T) {
	a := apitest.NewApp(t)
	tok := a.AdminToken(t)
	id := a.CreateOrg(t, tok, "college")
	clientID, secret := a.CreateClient(t, tok, id)
	assert.Regexp(t, `^cl_[0-9a-f]{24}$`, clientID)
	assert.GreaterOrEqual(t, len(secret), 40)
	var stored []byte
	require.NoError(t, a.DB.SQL().QueryRow("SELECT secret_hash FROM org_clients WHERE client_id = ?", clientID).Scan(&stored))
	assert.NotContains(t, string(stored), secret)
	assert.Len(t, stored, 32)
	assert.NotContains(t, a.Logs.String(), secret)
}
