package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/credit"
)

// certWorld is the service with an admin, an evaluation organisation, a training institution,
// an employer and one registered cardholder.
type certWorld struct {
	*apitest.App
	admin               string
	evalID, eval        string // the evaluation organisation and its token
	institution         string // a training institution's token
	employerID          string
	employer            string
	holder              apitest.Person
	holderID, holderTok string // the holder's worker id and token
	otherEval, otherTok string // another evaluation organisation
}

func newCertWorld(t testing.TB, opts ...apitest.Options) *certWorld {
	t.Helper()
	a := apitest.NewApp(t, opts...)
	w := &certWorld{App: a, admin: a.AdminToken(t)}
	w.evalID, w.eval = a.OrgToken(t, w.admin, "evaluation_org")
	_, w.institution = a.OrgToken(t, w.admin, "training_institution")
	w.employerID, w.employer = a.OrgToken(t, w.admin, "employer")
	w.otherEval, w.otherTok = a.OrgToken(t, w.admin, "evaluation_org")
	w.holder, w.holderID, w.holderTok = a.WorkerToken(t, w.admin)
	return w
}

// certBody is a valid issue request for holder p.
func certBody(p apitest.Person, no, typ string, level int) map[string]any {
	b := map[string]any{
		"certificate_no": no, "ssn": p.SSN, "name": p.Name, "type": typ,
		"occupation_code": "6-18-01-01", "occupation_name": "焊工", "issued_on": "2026-06-30",
	}
	if level > 0 {
		b["level"] = level
	}
	return b
}

// issue issues a certificate and requires 201.
func (w *certWorld) issue(t testing.TB, body map[string]any) map[string]any {
	t.Helper()
	res := w.As(w.eval).Do("POST", "/api/v1/certificates", body)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	return res.Map(t)
}

func (w *certWorld) revoke(t *testing.T, token, no, reason string) *apitest.Response {
	t.Helper()
	return w.As(token).Do("POST", "/api/v1/certificates/"+no+"/revoke", map[string]any{"reason": reason})
}

// amounts lists the worker's ledger amounts in tenths, oldest first.
func (w *certWorld) amounts(t *testing.T) []credit.Tenths {
	t.Helper()
	entries, err := w.DB.Ledger().AllEntries(context.Background(), w.holderID)
	require.NoError(t, err)
	bad, ok := credit.Verify(entries)
	require.Truef(t, ok, "the chain breaks at seq %d", bad)
	var out []credit.Tenths
	for _, e := range entries {
		out = append(out, e.Amount)
	}
	return out
}

func (w *certWorld) balance(t *testing.T) credit.Tenths {
	t.Helper()
	acct, err := w.DB.Ledger().Account(context.Background(), w.holderID)
	require.NoError(t, err)
	return acct.Balance
}

func problemCode(t *testing.T, res *apitest.Response) string {
	t.Helper()
	code, _ := res.Map(t)["code"].(string)
	return code
}

func TestIssueCertificate_EvaluationOrgGets201WithoutPersonalData(t *testing.T) {
	w := newCertWorld(t)
	body := certBody(w.holder, "zz-2026-000123", "skill_level", 3)
	body["valid_until"] = "2031-06-29"
	res := w.As(w.eval).Do("POST", "/api/v1/certificates", body)
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	got := res.Map(t)
	assert.Equal(t, "ZZ-2026-000123", got["certificate_no"], "the number is canonical")
	assert.Equal(t, "skill_level", got["type"])
	assert.EqualValues(t, 3, got["level"])
	assert.Equal(t, "2026-06-30", got["issued_on"])
	assert.Equal(t, "2031-06-29", got["valid_until"])
	assert.Equal(t, "valid", got["status"])
	assert.Equal(t, w.evalID, got["issuer_org_id"])
	assert.NotEmpty(t, got["created_at"])
	for _, secret := range []string{w.holder.SSN, w.holder.Name, w.holder.SSN[6:14]} {
		assert.NotContains(t, string(res.Body), secret, "no SSN or name in the answer")
	}
	assert.Equal(t, []credit.Tenths{200}, w.amounts(t), "an L3 earns 20")
}

func TestIssueCertificate_TrainingInstitutionsIssueOnlyTrainingCertificates(t *testing.T) {
	w := newCertWorld(t)
	inst := w.As(w.institution)
	res := inst.Do("POST", "/api/v1/certificates", certBody(w.holder, "TI-2026-000001", "skill_level", 4))
	require.Equal(t, http.StatusForbidden, res.Status, "%s", res.Body)
	assert.Equal(t, "certificate_type_not_allowed", problemCode(t, res))

	res = inst.Do("POST", "/api/v1/certificates", certBody(w.holder, "TI-2026-000001", "training", 0))
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, "training", res.Map(t)["type"])
	assert.Empty(t, w.amounts(t), "a training certificate earns nothing")

	res = w.As(w.employer).Do("POST", "/api/v1/certificates", certBody(w.holder, "EM-2026-000001", "training", 0))
	assert.Equal(t, http.StatusForbidden, res.Status, "employers issue nothing")
}

func TestIssueCertificate_DuplicateNumberIs409(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "DUP-000001", "special_ability", 0))
	for _, token := range []string{w.eval, w.otherTok} {
		res := w.As(token).Do("POST", "/api/v1/certificates", certBody(w.holder, "dup-000001", "skill_level", 5))
		require.Equal(t, http.StatusConflict, res.Status, "%s", res.Body)
		assert.Equal(t, "duplicate_conflict", problemCode(t, res))
	}
	assert.Equal(t, []credit.Tenths{30}, w.amounts(t), "the refused certificates posted nothing")
}

func TestIssueCertificate_RealNameAndValidation(t *testing.T) {
	w := newCertWorld(t)
	stranger := apitest.NewPerson()
	res := w.As(w.eval).Do("POST", "/api/v1/certificates", certBody(stranger, "RN-000001", "skill_level", 3))
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	assert.Equal(t, "unknown_cardholder", problemCode(t, res))

	wrong := certBody(w.holder, "RN-000002", "skill_level", 3)
	wrong["name"] = "某某某"
	res = w.As(w.eval).Do("POST", "/api/v1/certificates", wrong)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	assert.Equal(t, "name_mismatch", problemCode(t, res))

	bad := certBody(w.holder, "x", "skill_level", 0)
	bad["issued_on"] = "2026-02-30"
	res = w.As(w.eval).Do("POST", "/api/v1/certificates", bad)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	var p struct {
		Errors []struct{ Field, Code string } `json:"errors"`
	}
	res.JSON(t, &p)
	fields := map[string]string{}
	for _, e := range p.Errors {
		fields[e.Field] = e.Code
	}
	assert.Equal(t, map[string]string{"certificate_no": "invalid_certificate_no", "level": "required", "issued_on": "invalid_date"}, fields)

	res = w.As(w.eval).Do("POST", "/api/v1/certificates", `{"certificate_no":"RN-000003","extra":1}`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, res.Status, "unknown fields are refused")
	assert.Empty(t, w.amounts(t))
}

func TestCertificateCredits_HighestLevelPerOccupation(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "HL-L5-0001", "skill_level", 5))
	assert.Equal(t, credit.Tenths(50), w.balance(t), "L5 earns 5")
	w.issue(t, certBody(w.holder, "HL-L3-0001", "skill_level", 3))
	assert.Equal(t, []credit.Tenths{50, 150}, w.amounts(t), "then the L3 adds 15")

	res := w.revoke(t, w.eval, "HL-L3-0001", "鉴定材料不实")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	got := res.Map(t)
	assert.Equal(t, "revoked", got["status"])
	assert.Equal(t, "鉴定材料不实", got["revoke_reason"])
	assert.NotEmpty(t, got["revoked_at"])
	assert.Equal(t, []credit.Tenths{50, 150, -150}, w.amounts(t), "revoking that L3 takes back 15")

	w.issue(t, certBody(w.holder, "HL-SA-0001", "special_ability", 0))
	assert.Equal(t, credit.Tenths(80), w.balance(t), "a special-ability certificate earns 3")
	res = w.revoke(t, w.eval, "HL-SA-0001", "撤销")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, []credit.Tenths{50, 150, -150, 30, -30}, w.amounts(t))

	entries, err := w.DB.Ledger().AllEntries(context.Background(), w.holderID)
	require.NoError(t, err)
	assert.Equal(t, "HL-L3-0001", entries[2].SourceID)
	assert.Equal(t, credit.KindCertificateRevoke, entries[2].Kind)
	assert.Equal(t, "6-18-01-01", entries[2].OccupationCode)
}

func TestRevokeCertificate_OnlyTheIssuerOnceWithAReason(t *testing.T) {
	w := newCertWorld(t)
	w.issue(t, certBody(w.holder, "RV-000001", "skill_level", 4))

	other := w.revoke(t, w.otherTok, "RV-000001", "not mine")
	require.Equal(t, http.StatusNotFound, other.Status, "%s", other.Body)
	unknown := w.revoke(t, w.otherTok, "RV-999999", "not mine")
	require.Equal(t, http.StatusNotFound, unknown.Status)
	assert.Equal(t, withoutRequestID(t, unknown), withoutRequestID(t, other), "another organisation's certificate looks unknown")
	assert.Equal(t, "not_found", problemCode(t, other))

	res := w.revoke(t, w.eval, "RV-000001", "  ")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	assert.Equal(t, "reason_required", problemCode(t, res))
	res = w.revoke(t, w.eval, "RV-000001", strings.Repeat("理", 501))
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "reason_required", problemCode(t, res))

	res = w.revoke(t, w.eval, "rv-000001", "证书造假")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	res = w.revoke(t, w.eval, "RV-000001", "证书造假")
	require.Equal(t, http.StatusConflict, res.Status, "%s", res.Body)
	assert.Equal(t, "already_revoked", problemCode(t, res))
	assert.Equal(t, []credit.Tenths{100, -100}, w.amounts(t), "revoked once, reversed once")
}

func TestMyCertificates_ShowsOnlyTheWorkersOwnWithDerivedStatus(t *testing.T) {
	w := newCertWorld(t)
	other, _, otherTok := w.WorkerToken(t, w.admin)
	expired := certBody(w.holder, "MY-000001", "skill_level", 5)
	expired["issued_on"], expired["valid_until"] = "2012-01-01", "2015-01-01"
	w.issue(t, expired)
	w.issue(t, certBody(w.holder, "MY-000002", "special_ability", 0))
	w.issue(t, certBody(w.holder, "MY-000003", "training", 0))
	w.issue(t, certBody(other, "MY-000004", "skill_level", 2))

	type item struct {
		No     string `json:"certificate_no"`
		Status string `json:"status"`
	}
	var seen []item
	cursor := ""
	for range 5 {
		url := "/api/v1/me/certificates?limit=2"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		res := w.As(w.holderTok).Do("GET", url, nil)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.NotContains(t, string(res.Body), w.holder.SSN)
		var page struct {
			Items      []item  `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		res.JSON(t, &page)
		seen = append(seen, page.Items...)
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	assert.Equal(t, []item{{"MY-000003", "valid"}, {"MY-000002", "valid"}, {"MY-000001", "expired"}}, seen)

	res := w.As(otherTok).Do("GET", "/api/v1/me/certificates", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, string(res.Body), "MY-000004")
	assert.NotContains(t, string(res.Body), "MY-000001")

	res = w.As(w.holderTok).Do("GET", "/api/v1/me/certificates?cursor=bm9wZQ", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status, "a cursor this service did not give out")
}
