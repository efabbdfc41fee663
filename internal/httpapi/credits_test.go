package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/credit"
)

// earn posts a passed training's credits straight into the ledger (hours/16, max 10).
func earn(t *testing.T, a *apitest.App, workerID, source string, hours int) {
	t.Helper()
	poster := &credit.Poster{Ledger: a.DB.Ledger(), Rules: credit.DefaultRules(), Now: a.Now}
	require.NoError(t, a.DB.WithTx(context.Background(), func(ctx context.Context) error {
		_, err := poster.TrainingPosted(ctx, workerID, source, hours, true)
		return err
	}))
}

func TestConversion_DebitsIdempotentlyAndRefusesAShortBalance(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	p, workerID, workerTok := a.WorkerToken(t, admin)
	earn(t, a, workerID, "t-1", 160) // 10 credits
	_, college := a.OrgToken(t, admin, "college")
	c := a.As(college)
	req := map[string]any{"external_id": "EDU-2026-001", "ssn": p.SSN, "name": p.Name, "credits": 4.5, "program": "机电一体化 (高职)", "academic_credits": 3}

	res := c.Do("POST", "/api/v1/credit-conversions", req)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	first := res.Map(t)
	assert.EqualValues(t, 5.5, first["balance_after"])
	assert.EqualValues(t, 4.5, first["credits"])

	res = c.Do("POST", "/api/v1/credit-conversions", req)
	require.Equal(t, http.StatusOK, res.Status, "a retry answers the stored conversion")
	assert.Equal(t, first["id"], res.Map(t)["id"])

	changed := map[string]any{}
	for k, v := range req {
		changed[k] = v
	}
	changed["credits"] = 1
	res = c.Do("POST", "/api/v1/credit-conversions", changed)
	assert.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "duplicate_conflict", res.Map(t)["code"])

	short := map[string]any{"external_id": "EDU-2026-002", "ssn": p.SSN, "name": p.Name, "credits": 6, "program": "x", "academic_credits": 1}
	res = c.Do("POST", "/api/v1/credit-conversions", short)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "insufficient_credits", res.Map(t)["code"])
	acct, err := a.DB.Ledger().Account(context.Background(), workerID)
	require.NoError(t, err)
	assert.Equal(t, credit.Tenths(55), acct.Balance, "nothing written by the refused conversion")
	assert.Equal(t, credit.Tenths(45), acct.Converted)

	wrongName := map[string]any{"external_id": "EDU-2026-003", "ssn": p.SSN, "name": "某某某", "credits": 1, "program": "x", "academic_credits": 1}
	res = c.Do("POST", "/api/v1/credit-conversions", wrongName)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "name_mismatch", res.Map(t)["code"])

	bad := map[string]any{"external_id": "EDU-2026-004", "ssn": p.SSN, "name": p.Name, "credits": 1.25, "program": "x", "academic_credits": 1}
	res = c.Do("POST", "/api/v1/credit-conversions", bad)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status, "credits come in tenths")

	// The worker sees the debit in the ledger.
	res = a.As(workerTok).Do("GET", "/api/v1/me/credits", nil)
	require.Equal(t, http.StatusOK, res.Status)
	var page struct {
		Items []struct {
			Seq    int64   `json:"seq"`
			Kind   string  `json:"kind"`
			Amount float64 `json:"amount"`
		} `json:"items"`
	}
	res.JSON(t, &page)
	require.Len(t, page.Items, 2)
	assert.Equal(t, "conversion", page.Items[0].Kind)
	assert.Equal(t, -4.5, page.Items[0].Amount)
	assert.Equal(t, int64(1), page.Items[1].Seq)
}

func TestMyCredits_PagesNewestFirst(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	_, workerID, tok := a.WorkerToken(t, admin)
	for i := 0; i < 5; i++ {
		earn(t, a, workerID, "t-"+string(rune('a'+i)), 16*(i+1))
	}
	var seqs []float64
	url := "/api/v1/me/credits?limit=2"
	for i := 0; i < 5 && url != ""; i++ {
		res := a.As(tok).Do("GET", url, nil)
		require.Equal(t, http.StatusOK, res.Status)
		body := res.Map(t)
		for _, it := range body["items"].([]any) {
			seqs = append(seqs, it.(map[string]any)["seq"].(float64))
		}
		url = ""
		if nc, ok := body["next_cursor"].(string); ok {
			url = "/api/v1/me/credits?limit=2&cursor=" + nc
		}
	}
	assert.Equal(t, []float64{5, 4, 3, 2, 1}, seqs)
}

func TestMyRecord_CachedWithETagAndInvalidatedByAWrite(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	p, workerID, tok := a.WorkerToken(t, admin)
	earn(t, a, workerID, "t-1", 40)
	me := a.As(tok)

	res := me.Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	rec := res.Map(t)
	w := rec["worker"].(map[string]any)
	assert.Equal(t, p.Name, w["name"], "the worker reads their own name in full")
	assert.Equal(t, p.SSN[:6]+"********"+p.SSN[14:], w["ssn_masked"])
	assert.NotContains(t, string(res.Body), p.SSN)
	assert.NotContains(t, string(res.Body), p.Card)
	assert.EqualValues(t, 2.5, rec["credits"].(map[string]any)["balance"])
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)

	res = me.Do("GET", "/api/v1/me/record", nil, "If-None-Match", etag)
	assert.Equal(t, http.StatusNotModified, res.Status)
	assert.Empty(t, res.Body)

	// A college conversion changes the record: the cached summary is invalidated after commit.
	_, college := a.OrgToken(t, admin, "college")
	conv := a.As(college).Do("POST", "/api/v1/credit-conversions", map[string]any{
		"external_id": "C-1", "ssn": p.SSN, "name": p.Name, "credits": 1, "program": "x", "academic_credits": 1})
	require.Equal(t, http.StatusCreated, conv.Status, string(conv.Body))
	res = me.Do("GET", "/api/v1/me/record", nil, "If-None-Match", etag)
	require.Equal(t, http.StatusOK, res.Status)
	assert.EqualValues(t, 1.5, res.Map(t)["credits"].(map[string]any)["balance"])
	assert.NotEqual(t, etag, res.Header.Get("ETag"))

	// The cached value in Redis is sealed: no name or SSN in clear.
	_, values := dumpRedis(t, a)
	assert.NotContains(t, string(values), p.Name)
	assert.NotContains(t, string(values), p.SSN)
}

func TestMyRecord_AnotherWorkersTokenSeesOnlyItsOwn(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	p1, _, _ := a.WorkerToken(t, admin)
	p2, _, tok2 := a.WorkerToken(t, admin)
	res := a.As(tok2).Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, p2.Name, res.Map(t)["worker"].(map[string]any)["name"])
	assert.NotContains(t, string(res.Body), p1.Name)
}

func TestMyRecord_ShowsTrainingsAndCertificatesAndFollowsEveryWrite(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	p, _, tok := a.WorkerToken(t, admin)
	_, inst := a.OrgToken(t, admin, "training_institution")
	_, eval := a.OrgToken(t, admin, "evaluation_org")
	me := a.As(tok)

	first := me.Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, first.Status)
	etag := first.Header.Get("ETag")

	res := a.As(inst).Do("POST", "/api/v1/trainings", trainingRecord(p, "REC-1"))
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	res = me.Do("GET", "/api/v1/me/record", nil, "If-None-Match", etag)
	require.Equal(t, http.StatusOK, res.Status, "a posted training changes the record at once")
	rec := res.Map(t)
	assert.EqualValues(t, 1, rec["counts"].(map[string]any)["trainings"])
	assert.EqualValues(t, 1, rec["counts"].(map[string]any)["trainings_passed"])
	require.Len(t, rec["recent_trainings"], 1)
	assert.EqualValues(t, 2.5, rec["credits"].(map[string]any)["balance"])

	res = a.As(eval).Do("POST", "/api/v1/certificates", certBody(p, "ZZ-2026-000001", "skill_level", 4))
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	res = me.Do("GET", "/api/v1/me/record", nil)
	require.Equal(t, http.StatusOK, res.Status)
	rec = res.Map(t)
	require.Len(t, rec["certificates"], 1)
	cert := rec["certificates"].([]any)[0].(map[string]any)
	assert.Equal(t, "ZZ-2026-000001", cert["certificate_no"])
	assert.Equal(t, "valid", cert["status"])
	assert.EqualValues(t, 12.5, rec["credits"].(map[string]any)["balance"], "2.5 for the training + 10 for a level-4 certificate")

	res = a.As(eval).Do("POST", "/api/v1/certificates/ZZ-2026-000001/revoke", map[string]string{"reason": "forged exam"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	rec = me.Do("GET", "/api/v1/me/record", nil).Map(t)
	assert.Equal(t, "revoked", rec["certificates"].([]any)[0].(map[string]any)["status"])
	assert.EqualValues(t, 2.5, rec["credits"].(map[string]any)["balance"])
}
