package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"skillrecord/internal/apitest"
	"skillrecord/internal/audit"
)

// A clerk's roster: title rows above the header, Chinese headers with a 序号 column, Chinese
// values, dates written several ways, the amount in yuan and 0 on the unsubsidised row.
const rosterHeader = "序号,记录编号,姓名,公民身份号码,课程名称,培训类型,职业编码,职业名称,等级,学时,开班日期,结业日期,考核结果,是否补贴,补贴金额（元）,人员类别"

func rosterRow(n int, p apitest.Person, ext, trainingType string) string {
	if n%2 == 1 {
		return fmt.Sprintf("%d,%s,%s,%s,焊工（中级）,%s,6-18-02-04,焊工,四级,40,2026/3/1,2026年3月20日,合格,是,\"1,500.50\",农民工、青年", n, ext, p.Name, p.SSN, trainingType)
	}
	return fmt.Sprintf("%d,%s,%s,%s,电工,%s,6-31-01-03,,初级工,16,2026.04.01,2026-4-2,不合格,否,0,", n, ext, p.Name, p.SSN, trainingType)
}

func roster(people []apitest.Person, types ...string) string {
	var b strings.Builder
	b.WriteString("单位：××职业培训学校,,,,,,,,,,,,,,,\n填报日期：2026年11月20日,,,,,,,,,,,,,,,\n" + rosterHeader + "\n")
	for i, p := range people {
		typ := "岗位技能提升培训"
		if i < len(types) {
			typ = types[i]
		}
		b.WriteString(rosterRow(i+1, p, fmt.Sprintf("R-%03d", i+1), typ) + "\n")
	}
	return b.String()
}

func toGBK(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

// multipartFile builds a browser form with a text field and one file part.
func multipartFile(t *testing.T, filename, contentType string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	require.NoError(t, w.WriteField("note", "第四季度"))
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, filename))
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	require.NoError(t, err)
	_, err = part.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes(), w.FormDataContentType()
}

// csvToXLSX lays CSV text out on a workbook's first sheet, every cell as text.
func csvToXLSX(t *testing.T, csvText string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	for r, line := range strings.Split(strings.TrimSpace(csvText), "\n") {
		for c, v := range splitCSVLine(line) {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			require.NoError(t, f.SetCellStr("Sheet1", cell, v))
		}
	}
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	return buf.Bytes()
}

// splitCSVLine splits a line of the rosters above (one quoted cell at most, no quotes inside).
func splitCSVLine(line string) []string {
	var out []string
	for line != "" {
		if strings.HasPrefix(line, `"`) {
			end := strings.Index(line[1:], `"`) + 1
			out = append(out, line[1:end])
			line = strings.TrimPrefix(line[end+1:], ",")
			continue
		}
		cell, rest, found := strings.Cut(line, ",")
		out = append(out, cell)
		line = rest
		if !found {
			break
		}
		if rest == "" {
			out = append(out, "")
		}
	}
	return out
}

func TestBatchSheet_ClerksGBKFileIsPostedAndARetryChangesNothing(t *testing.T) {
	f := newTrainFixture(t, 2)
	body := toGBK(t, roster(f.people, "岗位技能提升培训", "就业技能培训"))

	a := batchOK(t, postBatch(t, f.inst, body, "Content-Type", "text/csv"))
	assert.Equal(t, []string{"0:created", "1:created"}, statuses(a), "GB 18030 detected")
	stored := storedRecords(t, f.inst)
	require.Len(t, stored, 2)
	assert.Equal(t, "job_skills_upgrade", stored[0]["training_type"])
	assert.Equal(t, "2026-03-01", stored[0]["start_date"])
	assert.Equal(t, "2026-03-20", stored[0]["end_date"])
	assert.EqualValues(t, 150050, stored[0]["subsidy_amount_cents"])
	assert.Equal(t, []any{"migrant_worker", "youth"}, stored[0]["trainee_groups"])
	assert.Equal(t, "failed", stored[1]["result"])
	assert.EqualValues(t, 5, stored[1]["level"])
	assert.Nil(t, stored[1]["subsidy_amount_cents"], "0 on an unsubsidised row")

	again := batchOK(t, postBatch(t, f.inst, body, "Content-Type", "text/csv; charset=GBK"))
	assert.Equal(t, []string{"0:unchanged", "1:unchanged"}, statuses(again), "GBK declared")
	assert.Equal(t, 2, f.count(t, "trainings"))
}

func TestBatchSheet_MultipartAndOctetStreamUploads(t *testing.T) {
	f := newTrainFixture(t, 4)
	xlsx := csvToXLSX(t, roster(f.people[:2]))
	form, ct := multipartFile(t, "花名册.xlsx", "application/octet-stream", xlsx)
	a := batchOK(t, postBatch(t, f.inst, form, "Content-Type", ct))
	assert.Equal(t, []string{"0:created", "1:created"}, statuses(a))

	// A Windows browser calls a .csv file application/vnd.ms-excel: the extension decides.
	csv := strings.ReplaceAll(roster(f.people[2:]), "R-00", "S-00")
	form, ct = multipartFile(t, "roster.csv", "application/vnd.ms-excel", toGBK(t, csv))
	a = batchOK(t, postBatch(t, f.inst, form, "Content-Type", ct))
	assert.Equal(t, []string{"0:created", "1:created"}, statuses(a))

	// application/octet-stream: sniffed.
	a = batchOK(t, postBatch(t, f.inst, xlsx, "Content-Type", "application/octet-stream"))
	assert.Equal(t, []string{"0:unchanged", "1:unchanged"}, statuses(a))
	a = batchOK(t, postBatch(t, f.inst, []byte(csv), "Content-Type", "application/octet-stream"))
	assert.Equal(t, []string{"0:unchanged", "1:unchanged"}, statuses(a))
	assert.Equal(t, 4, f.count(t, "trainings"))

	form, ct = multipartFile(t, "old.xls", "application/vnd.ms-excel", []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0})
	res := postBatch(t, f.inst, form, "Content-Type", ct)
	assert.Equal(t, http.StatusUnsupportedMediaType, res.Status)
}

// badRoster has a bad training type on sheet row 4 and an unregistered worker on row 6.
func badRoster(f *trainFixture) string {
	people := []apitest.Person{f.people[0], f.people[1], apitest.NewPerson()}
	return roster(people, "就业培训", "就业技能培训", "创业培训")
}

func TestBatchSheet_RefusedRowsAreNamedBySheetRowAndHeader(t *testing.T) {
	f := newTrainFixture(t, 2)
	res := postBatch(t, f.inst, badRoster(f), "Content-Type", "text/csv")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	var p struct {
		Title  string `json:"title"`
		Code   string `json:"code"`
		Errors []struct {
			Index   int    `json:"index"`
			Field   string `json:"field"`
			Code    string `json:"code"`
			Row     int    `json:"row"`
			Column  string `json:"column"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	res.JSON(t, &p)
	require.Len(t, p.Errors, 2, "%s", res.Body)
	assert.Equal(t, 0, p.Errors[0].Index)
	assert.Equal(t, 4, p.Errors[0].Row)
	assert.Equal(t, "培训类型", p.Errors[0].Column)
	assert.Equal(t, "invalid_training_type", p.Errors[0].Code)
	assert.Contains(t, p.Errors[0].Message, "row 4, 培训类型")
	assert.Contains(t, p.Errors[0].Message, "就业技能培训")
	assert.Equal(t, 6, p.Errors[1].Row)
	assert.Equal(t, "公民身份号码", p.Errors[1].Column)
	assert.Equal(t, "unknown_cardholder", p.Errors[1].Code)
	assert.Equal(t, 0, f.count(t, "trainings"), "nothing written")

	res = postBatch(t, f.inst, badRoster(f), "Content-Type", "text/csv", "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	res.JSON(t, &p)
	assert.Equal(t, "invalid_batch", p.Code, "the code words stay")
	assert.Equal(t, "数据不符合规则", p.Title)
	assert.True(t, strings.HasPrefix(p.Errors[0].Message, "第4行 培训类型：不是可选值，可填：就业技能培训、岗位技能提升培训"), p.Errors[0].Message)
	assert.Equal(t, "zh-CN", res.Header.Get("Content-Language"))
}

func TestBatchSheet_RefusedFileComesBackWithAReasonColumn(t *testing.T) {
	f := newTrainFixture(t, 2)
	xlsx := csvToXLSX(t, badRoster(f))
	form, ct := multipartFile(t, "花名册.xlsx", xlsxType, xlsx)
	res := postBatch(t, f.inst, form, "Content-Type", ct, "Accept", xlsxType)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	assert.Equal(t, xlsxType, res.Header.Get("Content-Type"))
	assert.Equal(t, "invalid_batch", res.Header.Get("X-Problem-Code"))
	events, err := f.app.DB.Audit().Events(context.Background(), audit.Filter{Action: "training.batch_post"}, 0, 10)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, http.StatusUnprocessableEntity, events[0].Status)
	assert.Equal(t, "invalid_batch", events[0].Code, "the refusal's code is audited though the answer is a workbook")

	book, err := excelize.OpenReader(bytes.NewReader(res.Body))
	require.NoError(t, err)
	rows, err := book.GetRows(book.GetSheetName(0))
	require.NoError(t, err)
	require.Len(t, rows, 6)
	reason := len(strings.Split(rosterHeader, ","))
	require.Len(t, rows[2], reason+1)
	assert.Equal(t, "错误原因", rows[2][reason], "beside the header")
	assert.Equal(t, "培训类型：不是可选值，可填：就业技能培训、岗位技能提升培训、创业培训、企业新型学徒制、金蓝领、岗前培训、转岗转业培训、其他", rows[3][reason])
	assert.LessOrEqual(t, len(rows[4]), reason, "a good row has no reason")
	assert.Contains(t, rows[5][reason], "公民身份号码：持卡人员信息库中没有该社会保障号码")
	assert.Equal(t, "单位：××职业培训学校", rows[0][0], "the sheet is the clerk's own")
	assert.Equal(t, 0, f.count(t, "trainings"))

	// Problems that are not about rows stay problem+json.
	res = postBatch(t, f.inst, "a,b\n1,2\n", "Content-Type", "text/csv", "Accept", xlsxType)
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
}

func fillTemplate(t *testing.T, book []byte, cells map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	require.NoError(t, err)
	name := f.GetSheetName(0)
	for cell, v := range cells {
		require.NoError(t, f.SetCellStr(name, cell, v))
	}
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	return buf.Bytes()
}

func TestTemplates_FilledSampleRowIsAccepted(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]

	res := f.inst.Do("GET", "/api/v1/templates/trainings.xlsx", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, res.Header.Get("Content-Disposition"), "trainings.xlsx")
	book := fillTemplate(t, res.Body, map[string]string{"B2": p.SSN, "C2": p.Name})
	form, ct := multipartFile(t, "培训记录.xlsx", xlsxType, book)
	a := batchOK(t, postBatch(t, f.inst, form, "Content-Type", ct))
	assert.Equal(t, []string{"0:created"}, statuses(a))

	_, evalTok := f.app.OrgToken(t, f.admin, "evaluation_org")
	eval := f.app.As(evalTok)
	res = eval.Do("GET", "/api/v1/templates/certificates.xlsx", nil)
	require.Equal(t, http.StatusOK, res.Status)
	book = fillTemplate(t, res.Body, map[string]string{"B2": p.SSN, "C2": p.Name})
	res = eval.Do("POST", "/api/v1/certificates/batch", book, "Content-Type", "application/octet-stream")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Contains(t, string(res.Body), `"status":"created"`)

	admin := f.app.As(f.admin)
	res = admin.Do("GET", "/api/v1/templates/cardholders.xlsx", nil)
	require.Equal(t, http.StatusOK, res.Status)
	q := apitest.NewPerson()
	book = fillTemplate(t, res.Body, map[string]string{"A2": q.SSN, "B2": q.Name, "C2": q.Card})
	res = admin.Do("POST", importPath, book, "Content-Type", xlsxType)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.JSONEq(t, `{"imported":1,"updated":0,"errors":[]}`, string(res.Body))
}

func TestCertificateBatch_AllOrNothingAndRetriesChangeNothing(t *testing.T) {
	f := newTrainFixture(t, 2)
	_, evalTok := f.app.OrgToken(t, f.admin, "evaluation_org")
	eval := f.app.As(evalTok)
	cert := func(p apitest.Person, no string) map[string]any {
		return map[string]any{"certificate_no": no, "ssn": p.SSN, "name": p.Name, "type": "skill_level",
			"occupation_code": "6-18-02-04", "occupation_name": "焊工", "level": 4, "issued_on": "2026-03-01"}
	}
	count := func() int { return f.count(t, "certificates") }
	body := map[string]any{"certificates": []any{cert(f.people[0], "zb-0001"), cert(f.people[1], "ZB-0002")}}
	res := eval.Do("POST", "/api/v1/certificates/batch", body)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.JSONEq(t, `{"results":[{"index":0,"certificate_no":"ZB-0001","status":"created"},{"index":1,"certificate_no":"ZB-0002","status":"created"}]}`, string(res.Body))
	res = eval.Do("POST", "/api/v1/certificates/batch", body)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, 2, strings.Count(string(res.Body), `"unchanged"`))
	assert.Equal(t, 2, count())

	other := cert(f.people[0], "ZB-0002") // the number holds a different certificate
	bad := cert(f.people[1], "ZB-0003")
	bad["level"] = 9
	res = eval.Do("POST", "/api/v1/certificates/batch", map[string]any{"certificates": []any{cert(f.people[0], "ZB-0004"), other, bad, cert(f.people[1], "ZB-0004")}})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	pr := problemOf(t, res)
	var got []string
	for _, e := range pr.Errors {
		got = append(got, fmt.Sprintf("%d %s %s", *e.Index, e.Field, e.Code))
	}
	assert.Equal(t, []string{"1 certificate_no duplicate_conflict", "2 level invalid_level", "3 certificate_no duplicate_in_batch"}, got)
	assert.Equal(t, 2, count(), "nothing written")

	res = f.inst.Do("POST", "/api/v1/certificates/batch", map[string]any{"certificates": []any{cert(f.people[0], "ZB-0005")}})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "certificate_type_not_allowed", problemOf(t, res).Errors[0].Code)

	sheet := "证书信息登记表\n序号,证书编号,姓名,身份证号,证书类型,职业编码,职业名称,等级,发证日期,有效期至\n" +
		fmt.Sprintf("1,ZB-0006,%s,%s,专项职业能力证书,6-18-02-04,焊工,,2026/3/1,2029年2月28日\n", f.people[0].Name, f.people[0].SSN)
	res = eval.Do("POST", "/api/v1/certificates/batch", toGBK(t, sheet), "Content-Type", "text/csv; charset=gb18030")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, 3, count())
}

func TestCardholderImport_ClerksSheetWithChineseHeadersAndStatuses(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.As(a.AdminToken(t))
	p, q := apitest.NewPerson(), apitest.NewPerson()
	sheet := "持卡人员基础信息\n序号,姓名,社会保障号码,社保卡号,发卡地区,卡状态,发卡日期\n" +
		fmt.Sprintf("1,%s,%s,%s,370400,正常,2021/3/15\n", p.Name, p.SSN, p.Card) +
		",,,,,,\n" +
		fmt.Sprintf("2,%s,%s,%s,370400,冻结,2021年3月15日\n", q.Name, q.SSN, q.Card)
	form, ct := multipartFile(t, "持卡人员.csv", "text/csv", toGBK(t, sheet))
	res := admin.Do("POST", importPath, form, "Content-Type", ct)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.JSONEq(t, `{"imported":1,"updated":0,"errors":[{"index":1,"field":"card_status","code":"invalid_card_status","row":5,"column":"卡状态"}]}`, string(res.Body))
}

func TestProblems_InChineseWhenAcceptLanguageAsksForIt(t *testing.T) {
	a := apitest.NewApp(t)
	c := a.As("")
	for _, tc := range []struct {
		lang, title string
	}{
		{"zh-CN", "未找到"},
		{"zh-Hans", "未找到"},
		{"zh", "未找到"},
		{"en;q=0.5, zh-CN;q=0.9", "未找到"},
		{"en-US,en;q=0.9,zh-CN;q=0.8", "Not Found"},
		{"zh-CN;q=0, en", "Not Found"},
		{"", "Not Found"},
	} {
		res := c.Do("GET", "/api/v1/nope", nil, "Accept-Language", tc.lang)
		require.Equal(t, http.StatusNotFound, res.Status)
		var p struct{ Title, Detail, Code string }
		res.JSON(t, &p)
		assert.Equal(t, tc.title, p.Title, "%q", tc.lang)
		assert.Equal(t, "not_found", p.Code)
	}
	res := c.Do("POST", "/api/v1/auth/token", map[string]any{"grant_type": "password", "username": "nobody", "password": "wrong-password-1"}, "Accept-Language", "zh-CN")
	var p struct{ Title, Detail, Code string }
	res.JSON(t, &p)
	assert.Equal(t, "invalid_grant", p.Code)
	assert.Equal(t, "用户名或密码错误", p.Detail)
}

func TestCertificateBatch_OnlyTheHighestLevelPerOccupationCounts(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]
	_, evalTok := f.app.OrgToken(t, f.admin, "evaluation_org")
	eval := f.app.As(evalTok)
	sheet := "证书编号,姓名,社会保障号码,证书类型,职业编码,职业名称,等级,发证日期\n" +
		fmt.Sprintf("LV-00005,%s,%s,职业技能等级证书,6-18-02-04,焊工,五级,2025/3/1\n", p.Name, p.SSN) +
		fmt.Sprintf("LV-00003,%s,%s,职业技能等级证书,6-18-02-04,焊工,高级工,2026/3/1\n", p.Name, p.SSN) +
		fmt.Sprintf("SA-00001,%s,%s,专项职业能力证书,6-18-02-04,焊工,,2026/3/1\n", p.Name, p.SSN)
	res := eval.Do("POST", "/api/v1/certificates/batch", sheet, "Content-Type", "text/csv")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "23", f.balance(t, p).String(), "level 3 (20) over level 5 in one occupation, plus 3 for special ability")
	res = eval.Do("POST", "/api/v1/certificates/batch", sheet, "Content-Type", "text/csv")
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "23", f.balance(t, p).String(), "a retried batch posts nothing")
}
