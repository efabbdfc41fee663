package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

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
		Index  int    `json:"index"`
		Field  string `json:"field"`
		Code   string `json:"code"`
		Row    *int   `json:"row"`
		Column string `json:"column"`
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

// TestEmploymentImport_AGB18030SheetWithChineseHeadersIsImportedAndAWrongNameRefusedByRow sends
// the bureau's CSV as Excel saves it on Chinese Windows: GB 18030, a title row, Chinese headers
// and kinds, a column the import does not read, and dates written the Chinese way.
func TestEmploymentImport_AGB18030SheetWithChineseHeadersIsImportedAndAWrongNameRefusedByRow(t *testing.T) {
	f := newTrainFixture(t, 3)
	p := f.people
	text := "就业失业登记信息导出（2026年）,,,,,,,\r\n" +
		"序号,来源编号,社会保障号码,姓名,类型,用人单位统一社会信用代码,开始日期,结束日期\r\n" +
		fmt.Sprintf("1,GB-1,%s,%s,就业,%s,2026年1月5日,\r\n", p[0].SSN, p[0].Name, employerCode) +
		fmt.Sprintf("2,GB-2,%s,%s,失业登记,,2025/6/1,2025/12/31\r\n", p[1].SSN, p[1].Name) +
		fmt.Sprintf("3,GB-3,%s,%s,参保,,2026-02-01,\r\n", p[2].SSN, p[0].Name) // someone else's name
	body, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	require.NoError(t, err)
	got := importSpells(t, f.app.As(f.admin), body, "Content-Type", "text/csv")
	assert.Equal(t, 2, got.Imported)
	require.Len(t, got.Errors, 1)
	e := got.Errors[0]
	assert.Equal(t, 2, e.Index)
	assert.Equal(t, "name", e.Field)
	assert.Equal(t, "name_mismatch", e.Code)
	require.NotNil(t, e.Row)
	assert.Equal(t, 5, *e.Row, "the sheet's own row number: title, header, two rows before it")
	assert.Equal(t, "姓名", e.Column)

	var kinds, starts string
	require.NoError(t, f.app.DB.SQL().QueryRow(
		"SELECT GROUP_CONCAT(kind ORDER BY source_id), GROUP_CONCAT(CAST(start_date AS CHAR) ORDER BY source_id) FROM employment_spells").
		Scan(&kinds, &starts))
	assert.Equal(t, "employed,unemployed_registered", kinds)
	assert.Equal(t, "2026-01-05,2025-06-01", starts)
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
	assert.True(t, strings.HasPrefix(body, "\ufeffinstitution_id,institution_name,class_id,course_name,trainees,unknown,employed_3m,employed_6m,rate_3m,rate_6m,retained_6m,retention_rate\r\n"))
	assert.Contains(t, body, ",,,4,1,1,2,0.5,1,1,1\r\n")

	res = admin.Do("GET", employmentEvalPath+"?from=2026-02-01&to=2026-01-01", nil)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
}

// TestEmploymentEvaluation_PerClassFiguresMatchFiguresComputedByHand completes two pre_job
// classes of one institution (class A: p0, p1; class B: p2, p3) ending on day E, posts a record
// without a class for p4 ending the day before E, then imports employment data:
//
//	p0 (A) registered unemployed until E+10, employed from E+30            → seeker, 3m and 6m;
//	p1 (A) no employment data                                               → unknown;
//	p2 (B) registered unemployed until E+30, insured from E+120 (4 months)  → seeker, 6m only;
//	p3 (B) employed since long before the class                             → known, not a seeker;
//	p4 (no class) registered unemployed until E+5, employed from E+20       → seeker, 3m and 6m.
//
// Class A: 2 trainees, 1 unknown, seekers {p0}: 1/1 and 1/1. Class B: 2 trainees, seekers {p2}:
// 0/1 and 1/1. The institution: 5 trainees, 1 unknown, seekers {p0, p2, p4}: 2/3 (0.6667) and
// 3/3. Nobody is a job_skills_upgrade trainee: no retention population.
func TestEmploymentEvaluation_PerClassFiguresMatchFiguresComputedByHand(t *testing.T) {
	f := newClassFixture(t)
	p := f.people
	end := f.day(3)
	dayE := func(n int) string {
		d, err := time.ParseInLocation("2006-01-02", end, f.loc)
		require.NoError(t, err)
		return d.AddDate(0, 0, n).Format("2006-01-02")
	}
	file := func(ext, course string, people ...apitest.Person) string {
		body := f.classBody(ext)
		body["course_name"] = course
		var roster []map[string]any
		for _, person := range people {
			roster = append(roster, map[string]any{"ssn": person.SSN, "name": person.Name})
		}
		body["roster"] = roster
		res := f.inst.Do("POST", classesPath, body)
		require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
		id := res.Map(t)["id"].(string)
		require.Equal(t, http.StatusOK, f.review(t, id, "approve").Status)
		return id
	}
	classA := file("E-A", "焊工安全岗前培训", p[0], p[1])
	classB := file("E-B", "电工安全岗前培训", p[2], p[3])

	f.app.Advance(4 * 24 * time.Hour)
	f.reauth(t)
	r := trainingRecord(p[4], "E-4")
	r["training_type"], r["start_date"], r["end_date"] = "employment_skills", f.day(-20), dayE(-1)
	res := f.inst.Do("POST", trainingsPath, r)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	complete := func(id string, people ...apitest.Person) {
		var ts []map[string]any
		for _, person := range people {
			ts = append(ts, map[string]any{"ssn": person.SSN, "result": "passed"})
		}
		res := f.inst.Do("POST", classesPath+"/"+id+"/completion", map[string]any{"trainees": ts})
		require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	}
	complete(classA, p[0], p[1])
	complete(classB, p[2], p[3])

	f.app.Advance(200 * 24 * time.Hour)
	f.reauth(t)
	admin := f.app.As(f.admin)
	spell := func(src string, person apitest.Person, kind, from, to string) map[string]string {
		return map[string]string{"source_id": src, "ssn": person.SSN, "name": person.Name, "kind": kind,
			"start_date": from, "end_date": to}
	}
	got := importSpells(t, admin, map[string]any{"spells": []map[string]string{
		spell("C-0a", p[0], "unemployed_registered", dayE(-200), dayE(10)),
		spell("C-0b", p[0], "employed", dayE(30), ""),
		spell("C-2a", p[2], "unemployed_registered", dayE(-200), dayE(30)),
		spell("C-2b", p[2], "insured", dayE(120), ""),
		spell("C-3", p[3], "employed", dayE(-900), ""),
		spell("C-4a", p[4], "unemployed_registered", dayE(-200), dayE(5)),
		spell("C-4b", p[4], "employed", dayE(20), ""),
	}})
	require.Equal(t, 7, got.Imported, "%+v", got.Errors)

	period := "?from=" + dayE(-30) + "&to=" + end
	res = admin.Do("GET", employmentEvalPath+period, nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var report struct {
		Institutions []map[string]any `json:"institutions"`
		Classes      []map[string]any `json:"classes"`
	}
	res.JSON(t, &report)
	figures := func(trainees, unknown, e3, e6 int, r3, r6 float64) map[string]any {
		return map[string]any{"trainees": float64(trainees), "unknown": float64(unknown), "employed_3m": float64(e3),
			"employed_6m": float64(e6), "rate_3m": r3, "rate_6m": r6, "retained_6m": 0.0, "retention_rate": 0.0}
	}
	strip := func(line map[string]any, keys ...string) map[string]any {
		for _, k := range keys {
			delete(line, k)
		}
		return line
	}
	require.Len(t, report.Institutions, 1)
	assert.Equal(t, f.instID, report.Institutions[0]["institution_id"])
	instName, _ := report.Institutions[0]["institution_name"].(string)
	assert.Equal(t, figures(5, 1, 2, 3, 0.6667, 1), strip(report.Institutions[0], "institution_id", "institution_name"))
	require.Len(t, report.Classes, 2)
	byClass := map[string]map[string]any{}
	for _, line := range report.Classes {
		assert.Equal(t, f.instID, line["institution_id"])
		assert.Equal(t, instName, line["institution_name"])
		byClass[line["class_id"].(string)] = line
	}
	require.Contains(t, byClass, classA)
	require.Contains(t, byClass, classB)
	assert.Equal(t, "焊工安全岗前培训", byClass[classA]["course_name"])
	assert.Equal(t, "电工安全岗前培训", byClass[classB]["course_name"])
	assert.Equal(t, figures(2, 1, 1, 1, 1, 1), strip(byClass[classA], "institution_id", "institution_name", "class_id", "course_name"))
	assert.Equal(t, figures(2, 0, 0, 1, 0, 1), strip(byClass[classB], "institution_id", "institution_name", "class_id", "course_name"))

	res = admin.Do("GET", employmentEvalPath+period+"&format=csv", nil)
	require.Equal(t, http.StatusOK, res.Status)
	lines := strings.Split(strings.TrimSuffix(string(res.Body), "\r\n"), "\r\n")
	require.Len(t, lines, 4, "header, one institution, two classes")
	assert.Equal(t, "\ufeffinstitution_id,institution_name,class_id,course_name,trainees,unknown,employed_3m,employed_6m,rate_3m,rate_6m,retained_6m,retention_rate", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], f.instID+","))
	assert.True(t, strings.HasSuffix(lines[1], ",,,5,1,2,3,0.6667,1,0,0"), lines[1])
	assert.Contains(t, lines[2:], f.instID+","+instName+","+classA+",焊工安全岗前培训,2,1,1,1,1,1,0,0")
	assert.Contains(t, lines[2:], f.instID+","+instName+","+classB+",电工安全岗前培训,2,0,0,1,0,1,0,0")
}
