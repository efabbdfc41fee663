package training_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
	"skillrecord/internal/training"
)

// clerkCSV is a roster as a training school's clerk keeps it in Excel and saves it as
// "CSV (逗号分隔)": title rows, Chinese headers in their own order, a 序号 column, Chinese
// values, dates written several ways, amounts in yuan and 0 on unsubsidised rows.
func clerkCSV() string {
	return "单位：××职业培训学校,,,,,,,,,,,,,,,\n" +
		"填报日期：2026年11月20日,,,,,,,,,,,,,,,\n" +
		"序号,记录编号,姓名,公民身份号码,课程名称,培训类型,职业编码,职业名称,等级,学时,开班日期,结业日期,考核结果,是否补贴,补贴金额（元）,人员类别\n" +
		"1,ZZ-1,张三,%SSN%,焊工（中级）,岗位技能提升培训,6-18-01-01,焊工,四级,40,2026/10/8,2026年10月28日,合格,是,\"1,500.50\",农民工、青年\n" +
		"2,ZZ-2,李四,%SSN%,电工,就业技能培训,6-31-01-03,,初级工,16,2026.10.08,2026-10-9,不合格,否,0,\n" +
		"3,ZZ-3,王五,%SSN%,创业,创业培训,4-07-02-01,,,2000,20250101,2025-12-31,合格,否,,退役军人；脱贫人口\n"
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func TestParseBatchSheet_ReadsAClerksGBKFile(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    []byte
		charset string
	}{
		{"GB 18030 detected", gbk(t, withSSN(clerkCSV())), ""},
		{"GBK declared", gbk(t, withSSN(clerkCSV())), "GBK"},
		{"UTF-8 with BOM", []byte("\ufeff" + withSSN(clerkCSV())), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, bad, pos, err := training.ParseBatchSheet(tc.body, sheet.CSV, tc.charset, 10)
			require.NoError(t, err)
			require.Empty(t, bad)
			require.Len(t, got, 3)
			assert.Equal(t, training.Input{
				ExternalID: "ZZ-1", SSN: string(workerSSN), Name: "张三", CourseName: "焊工（中级）",
				TrainingType: "job_skills_upgrade", OccupationCode: "6-18-01-01", OccupationName: "焊工",
				Level: ptr(4), Hours: ptr(40), StartDate: "2026-10-08", EndDate: "2026-10-28", Result: "passed",
				Subsidized: ptr(true), SubsidyAmountCents: ptr(int64(150050)), TraineeGroups: []string{"migrant_worker", "youth"},
			}, got[0])
			assert.Equal(t, "employment_skills", got[1].TrainingType)
			assert.Equal(t, ptr(5), got[1].Level)
			assert.Equal(t, "2026-10-08", got[1].StartDate)
			assert.Equal(t, "2026-10-09", got[1].EndDate)
			assert.Equal(t, "failed", got[1].Result)
			assert.Nil(t, got[1].SubsidyAmountCents, "0 on an unsubsidised row is no amount")
			assert.Equal(t, "2025-01-01", got[2].StartDate)
			assert.Equal(t, []string{"veteran", "poverty_alleviated"}, got[2].TraineeGroups)
			_, err = training.ValidateBatch(got, today, bad...)
			require.NoError(t, err)
			assert.Equal(t, []int{4, 5, 6}, pos.Lines, "rows as Excel numbers them")
			assert.Equal(t, 3, pos.HeaderRow)
		})
	}
}

func TestParseBatchSheet_ErrorsNameTheSheetRowAndHeader(t *testing.T) {
	csv := withSSN(clerkCSV())
	csv = strings.Replace(csv, "岗位技能提升培训", "就业培训", 1)         // row 4: not a training type
	csv = strings.Replace(csv, "2026.10.08", "2026年13月1日", 1) // row 5: no such date
	csv = strings.Replace(csv, ",2000,", ",两千,", 1)           // row 6: not a number
	inputs, bad, pos, err := training.ParseBatchSheet([]byte(csv), sheet.CSV, "", 10)
	require.NoError(t, err)
	_, err = training.ValidateBatch(inputs, today, bad...)
	err = pos.Place(err, training.SheetHint)
	e := requireErr(t, err, errs.KindInvalid, "invalid_batch")
	type place struct {
		row          int
		column, code string
	}
	var got []place
	for _, fe := range e.Fields {
		require.NotNil(t, fe.Row, "%+v", fe)
		got = append(got, place{*fe.Row, fe.Column, fe.Code})
		assert.NotContains(t, fe.Message, string(workerSSN))
	}
	assert.ElementsMatch(t, []place{
		{4, "培训类型", "invalid_training_type"},
		{5, "开班日期", "invalid_date"},
		{6, "学时", "wrong_type"},
	}, got)
	for _, fe := range e.Fields {
		if fe.Code == "invalid_training_type" {
			assert.Contains(t, fe.Message, "row 4, 培训类型:")
			assert.Contains(t, fe.Message, "就业技能培训, 岗位技能提升培训", "says what to write instead")
		}
	}
}

func TestParseBatchSheet_XLSXWithTitleRowAndDateCells(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{"2026年第四季度补贴性培训花名册"},
		nil,
		{"姓名", "社会保障号码", "记录编号", "课程名称", "培训类型", "职业编码", "学时", "开始日期", "结束日期", "培训结果", "补贴金额(分)"},
		{"张三", string(workerSSN), "X-1", "焊工", "金蓝领培训", "6-18-01-01", 40.0, day(10, 8), 46315, "合格", 0},
	}
	got, bad, pos, err := training.ParseBatchSheet(buildXLSX(t, false, rows), sheet.XLSX, "", 10)
	require.NoError(t, err)
	require.Empty(t, bad)
	require.Len(t, got, 1)
	assert.Equal(t, "gold_blue_collar", got[0].TrainingType)
	assert.Equal(t, "2026-10-08", got[0].StartDate)
	assert.Equal(t, "2026-10-20", got[0].EndDate, "a serial day number in a date column")
	assert.Nil(t, got[0].SubsidyAmountCents)
	assert.Equal(t, []int{4}, pos.Lines)
	assert.Equal(t, "补贴金额(分)", pos.Labels["subsidy_amount_cents"])
}

func TestParseBatchSheet_YuanAndCentsColumnsAreOneField(t *testing.T) {
	csv := minimalHeader + ",补贴金额(元),subsidy_amount_cents\nA1,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed,1,100\n"
	_, _, _, err := training.ParseBatchSheet([]byte(csv), sheet.CSV, "", 10)
	requireErr(t, err, errs.KindMalformed, "duplicate_column")

	csv = minimalHeader + ",是否补贴,补贴金额(元)\nA1,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed,是,12.345\n"
	_, bad, _, err := training.ParseBatchSheet([]byte(csv), sheet.CSV, "", 10)
	require.NoError(t, err)
	require.Len(t, bad, 1)
	assertRowField(t, bad[0], 0, "subsidy_amount_cents", "wrong_type")
}

func TestTemplate_FilledSampleRowIsAccepted(t *testing.T) {
	tpl, err := training.Template(today)
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	require.NoError(t, err)
	name := f.GetSheetName(0)
	dv, err := f.GetDataValidations(name)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(dv), 4, "drop-down lists for the enumerations")
	require.NoError(t, f.SetCellStr(name, "B2", string(workerSSN)))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	got, bad, pos, err := training.ParseBatchSheet(buf.Bytes(), sheet.XLSX, "", 10)
	require.NoError(t, err)
	require.Empty(t, bad)
	_, err = training.ValidateBatch(got, today)
	require.NoError(t, err)
	assert.Equal(t, []int{2}, pos.Lines)
	assert.Equal(t, ptr(int64(150000)), got[0].SubsidyAmountCents)
}
