package worker_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"skillrecord/internal/sheet"
	"skillrecord/internal/worker"
)

func TestReadSheet_ReadsTheBureausWorkbookWithChineseStatuses(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"持卡人员基础信息（2026年11月）"},
		{"序号", "姓名", "公民身份号码", "社会保障卡号", "发卡地区", "卡状态", "发卡日期", "联系电话"},
		{1, "张三", "11010519491231002X", "A12345678", "370400", "正常", time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC), "13800000000"},
		nil,
		{2, "李四", "11010519491231002X", "B12345678", 370400, "挂失", "2021年3月15日"},
		{"制表人：王五"},
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		require.NoError(t, f.SetSheetRow("Sheet1", cell, &row))
	}
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)

	seq, pos, err := worker.ReadSheet(buf.Bytes(), sheet.XLSX, "")
	require.NoError(t, err)
	got, err := collect(seq)
	require.NoError(t, err)
	assert.Equal(t, []worker.ImportRow{
		{SSN: exampleSSN, Name: "张三", CardNumber: "A12345678", IssueArea: "370400", CardStatus: "active", IssuedOn: "2021-03-15"},
		{SSN: exampleSSN, Name: "李四", CardNumber: "B12345678", IssueArea: "370400", CardStatus: "lost", IssuedOn: "2021-03-15"},
	}, got)
	assert.Equal(t, []int{3, 5}, pos.Lines, "the blank row is skipped, the sheet's numbers kept")
	assert.Equal(t, "卡状态", pos.Labels["card_status"])
}

func TestReadCSV_GB18030WithATitleRow(t *testing.T) {
	body, err := simplifiedchinese.GB18030.NewEncoder().String("持卡人员名单,,,\n姓名,身份证号,卡号,发卡地区\n张三,11010519491231002X,A12345678,370400\n")
	require.NoError(t, err)
	rows, err := collect(worker.ReadCSV(csvBody(body)))
	require.NoError(t, err)
	assert.Equal(t, []worker.ImportRow{{SSN: exampleSSN, Name: "张三", CardNumber: "A12345678", IssueArea: "370400"}}, rows)
}
