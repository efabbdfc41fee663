package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"skillrecord/internal/apitest"
)

const (
	employmentImportPath = "/api/v1/admin/employment/import"
	employmentEvalPath   = "/api/v1/admin/evaluation/employment"
	employerCode         = "91350100M000100Y43"
)

type spellsAnswer struct {
	Imported int `json:"imported"`
	Updated  int `json:"updated"`
	Errors   []struct {
		Index int    `json:"index"`
		Field string `json:"field"`
		Code  string `json:"code"`
	} `json:"errors"`
}

func importSpells(t *testing.T, c *apitest.Client, body any, headers ...string) spellsAnswer {
	t.Helper()
	res := c.Do("POST", employmentImportPath, body, headers...)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var a spellsAnswer
	res.JSON(t, &a)
	return a
}

func TestEmploymentImport_AWrongNameIsRefusedPerRowAndARepeatUpdates(t *testing.T) {
	f := newTrainFixture(t, 2)
	p0, p1 := f.people[0], f.people[1]
	stranger := apitest.NewPerson()
	_, tok := f.app.OrgToken(t, f.admin, "data_exchange")
	exchange := f.app.As(tok)
	csv := "source_id,ssn,name,kind,employer_credit_code,start_date,end_date\n" +
		fmt.Sprintf("JY-1,%s,%s,employed,%s,2026-01-01,\n", p0.SSN, p0.Name, employerCode) +
		fmt.Sprintf("JY-2,%s,%s,employed,,2026-01-01,\n", p1.SSN, p0.Name) + // someone else's name
		fmt.Sprintf("JY-3,%s,%s,insured,,2026-01-01,\n", stranger.SSN, stranger.Name) +
		fmt.Sprintf("JY-4,%s,%s,retired,NOTACODE,2026-13-01,\n", p1.SSN, p1.Name) +
		fmt.Sprintf("JY-5,%s,%s,unemployed_registered,,2025-06-01,2025-12-31\n", p1.SSN, p1.Name)
	got := importSpells(t, exchange, csv, "Content-Type", "text/csv")
	assert.Equal(t, 2, got.Imported)
	assert.Zero(t, got.Updated)
	type rowErr struct {
		Index       int
		Field, Code string
	}
	var errsGot []rowErr
	for _, e := range got.Errors {
		errsGot = append(errsGot, rowErr{e.Index, e.Field, e.Code})
	}
	assert.Equal(t, []rowErr{
		{1, "name", "name_mismatch"},
		{2, "ssn", "unknown_cardholder"},
		{3, "kind", "invalid_kind"},
		{3, "employer_credit_code", "invalid_credit_code"},
		{3, "start_date", "invalid_date"},
	}, errsGot)
	var stored int
	require.NoError(t, f.app.DB.SQL().QueryRow("SELECT COUNT(*) FROM employment_spells").Scan(&stored))
	assert.Equal(t, 2, stored)

	again := importSpells(t, f.app.As(f.admin), map[string]any{"spells": []map[string]string{
		{"source_id": "JY-1", "ssn": p0.SSN, "name": p0.Name, "kind": "employed", "employer_credit_code": employerCode, "start_date": "2026-01-01", "end_date": "2026-02-01"},
	}})
	assert.Equal(t, spellsAnswer{Imported: 0, Updated: 1, Errors: again.Errors}, again, "idempotent by source_id")
	assert.Empty(t, again.Errors)
	var end string
	require.NoError(t, f.app.DB.SQL().QueryRow("SELECT CAST(end_date AS CHAR) FROM employment_spells WHERE source_id = 'JY-1'").Scan(&end))
	assert.Equal(t, "2026-02-01", end, "the re-import updated the spell")

	var raw string
	require.NoError(t, f.app.DB.SQL().QueryRow("SELECT CONCAT(worker_id, kind, employer_credit_code) FROM employment_spells WHERE source_id = 'JY-1'").Scan(&raw))
	assert.Equal(t, f.workerID(t, p0)+"employed"+employerCode, raw, "stored under the worker's opaque id")

	res := f.inst.Do("POST", employmentImportPath, csv, "Content-Type", "text/csv")
	assert.Equal(t, http.StatusForbidden, res.Status)
	res = exchange.Do("GET", employmentEvalPath+"?from=2026-01-01&to=2026-12-31", nil)
	assert.Equal(t, http.StatusForbidden, res.Status, "the follow-up is the bureau's")
}

// TestEmploymentEvaluation_RatesMatchFiguresComputedByHand posts four trainees of one
// institution and their employment data through the API:
//
//	p0 employment_skills ended 2026-01-30, unemployed at the start, employed from 2026-03-01 → 3m and 6m;
//	p1 employment_skills ended 2026-02-27, insured from 2026-07-01 (4 months on)            → 6m only;
//	p2 no employment data                                                                   → unknown;
//	p3 job_skills_upgrade ended 2026-03-20, with the same employer since 2024               → retained.
//
// Seekers p0, p1: rate_3m 1/2, rate_6m 2/2; employees p3: retention 1/1.
func TestEmploymentEvaluation_RatesMatchFiguresComputedByHand(t *testing.T) {
	f := newTrainFixture(t, 4)
	p := f.people
	post := func(person apitest.Person, ext, typ, start, end string) {
		r := trainingRecord(person, ext)
		r["training_type"], r["start_date"], r["end_date"] = typ, start, end
		res := f.inst.Do("POST", trainingsPath, r)
		require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	}
	post(p[0], "F-0", "employment_skills", "2026-01-05", "2026-01-30")
	post(p[1], "F-1", "employment_skills", "2026-02-01", "2026-02-27")
	post(p[2], "F-2", "employment_skills", "2026-02-01", "2026-02-27")
	post(p[3], "F-3", "job_skills_upgrade", "2026-03-02", "2026-03-20")

	book := excelize.NewFile()
	sheet := book.GetSheetName(0)
	rows := [][]any{
		{"source_id", "ssn", "name", "kind", "employer_credit_code", "start_date", "end_date"},
		{"S-0a", p[0].SSN, p[0].Name, "unemployed_registered", "", "2025-10-01", "2026-02-01"},
		{"S-0b", p[0].SSN, p[0].Name, "employed", employerCode, "2026-03-01", ""},
		{"S-1a", p[1].SSN, p[1].Name, "unemployed_registered", "", "2025-12-01", "2026-06-30"},
		{"S-1b", p[1].SSN, p[1].Name, "insured", "", "2026-07-01", ""},
		{"S-3", p[3].SSN, p[3].Name, "employed", employerCode, "2024-01-01", ""},
	}
	for i, r := range rows {
		require.NoError(t, book.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &r))
	}
	var buf bytes.Buffer
	require.NoError(t, book.Write(&buf))
	got := importSpells(t, f.app.As(f.admin), buf.Bytes(), "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	require.Equal(t, 5, got.Imported, "%+v", got.Errors)

	admin := f.app.As(f.admin)
	res := admin.Do("GET", employmentEvalPath+"?from=2026-01-01&to=2026-06-30", nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var report struct {
		Institutions []map[string]any `json:"institutions"`
	}
	res.JSON(t, &report)
	require.Len(t, report.Institutions, 1)
	line := report.Institutions[0]
	assert.Equal(t, f.instID, line["institution_id"])
	delete(line, "institution_id")
	delete(line, "institution_name")
	assert.Equal(t, map[string]any{
		"trainees": 4.0, "unknown": 1.0, "employed_3m": 1.0, "employed_6m": 2.0, "rate_3m": 0.5, "rate_6m": 1.0,
		"retained_6m": 1.0, "retention_rate": 1.0,
	}, line)

	res = admin.Do("GET", employmentEvalPath+"?from=2026-01-01&to=2026-06-30&format=csv", nil)
	require.Equal(t, http.StatusOK, res.Status)
	body := string(res.Body)
	assert.True(t, strings.HasPrefix(body, "\ufeffinstitution_id,institution_name,trainees,unknown,employed_3m,employed_6m,rate_3m,rate_6m,retained_6m,retention_rate\r\n"))
	assert.Contains(t, body, ",4,1,1,2,0.5,1,1,1\r\n")

	res = admin.Do("GET", employmentEvalPath+"?from=2026-02-01&to=2026-01-01", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
}
