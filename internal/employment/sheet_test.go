package employment_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"skillrecord/internal/employment"
	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

func TestReadSheet_GB18030WithChineseHeadersKindsAndATitleRow(t *testing.T) {
	body, err := simplifiedchinese.GB18030.NewEncoder().String(
		"就业登记信息（2026年11月）,,,,,,,\n" +
			"序号,来源编号,姓名,身份证号,登记类型,用人单位统一社会信用代码,开始日期,结束日期\n" +
			"1,JY-1,张三,11010519491231002X,就业登记,91350100M000100Y43,2026/3/1,\n" +
			",,,,,,,\n" +
			"2,JY-2,李四,11010519491231002X,失业登记,,2025年10月1日,2026-02-01\n" +
			"3,JY-3,王五,11010519491231002X,参保,,20260701,\n")
	require.NoError(t, err)
	seq, pos, err := employment.ReadSheet([]byte(body), sheet.CSV, "")
	require.NoError(t, err)
	var got []employment.ImportRow
	for row, err := range seq {
		require.NoError(t, err)
		got = append(got, row)
	}
	ssn := "11010519491231002X"
	assert.Equal(t, []employment.ImportRow{
		{SourceID: "JY-1", SSN: ssn, Name: "张三", Kind: "employed", EmployerCode: "91350100M000100Y43", StartDate: "2026-03-01"},
		{SourceID: "JY-2", SSN: ssn, Name: "李四", Kind: "unemployed_registered", StartDate: "2025-10-01", EndDate: "2026-02-01"},
		{SourceID: "JY-3", SSN: ssn, Name: "王五", Kind: "insured", StartDate: "2026-07-01"},
	}, got)
	assert.Equal(t, []int{3, 5, 6}, pos.Lines, "the title row is passed over and the blank row skipped, the sheet's numbers kept")
	assert.Equal(t, "姓名", pos.Labels["name"])
}

func TestReadSheet_AHeaderWithoutAKindColumnIsRefused(t *testing.T) {
	_, _, err := employment.ReadSheet([]byte("来源编号,姓名,身份证号,开始日期\nJY-1,张三,11010519491231002X,2026-03-01\n"), sheet.CSV, "")
	assert.Equal(t, "missing_column", errs.CodeOf(err))
}
