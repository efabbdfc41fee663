package sheet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

func TestToUTF8_DetectsOrHonoursGB18030AndStripsTheBOM(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("姓名,学时\n张三,40\n"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		body    []byte
		charset string
	}{
		{"detected", gbk, ""},
		{"declared gbk", gbk, "gbk"},
		{"declared gb2312", gbk, "GB2312"},
		{"utf-8 with bom", []byte("\ufeff姓名,学时\n张三,40\n"), ""},
		{"utf-8", []byte("姓名,学时\n张三,40\n"), "utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := sheet.ToUTF8(tc.body, tc.charset)
			require.NoError(t, err)
			assert.Equal(t, "姓名,学时\n张三,40\n", string(got))
		})
	}
	_, err = sheet.ToUTF8([]byte("a,\xff\xfe\n"), "")
	assert.Equal(t, "malformed_csv", errs.CodeOf(err))
}

func TestGridDate_ReadsTheCommonWritings(t *testing.T) {
	csv := &sheet.Grid{Format: sheet.CSV}
	xlsx := &sheet.Grid{Format: sheet.XLSX}
	for in, want := range map[string]string{
		"2026-10-08": "2026-10-08", "2026-10-8": "2026-10-08", "2026/10/8": "2026-10-08",
		"2026.10.08": "2026-10-08", "2026年10月8日": "2026-10-08", "2026年10月8": "2026-10-08",
		"20261008": "2026-10-08", " 2026/1/2 0:00:00": "2026-01-02", "2026-10-08T00:00:00Z": "2026-10-08",
		"10/8/2026": "10/8/2026", "yesterday": "yesterday", "46303": "46303",
	} {
		assert.Equal(t, want, csv.Date(in), "%q", in)
	}
	assert.Equal(t, "2026-10-08", xlsx.Date("46303"), "a serial day number in a workbook")
	assert.Equal(t, "2026-10-08", xlsx.Date("46303.5"))
	assert.Equal(t, "2030-10-09", (&sheet.Grid{Format: sheet.XLSX, Date1904: true}).Date("46303"))
	assert.Equal(t, "12", xlsx.Date("12"), "too small to be a date")
}

func TestYuan_TakesAtMostTwoDecimals(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1200": 120000, "1,200.5": 120050, "￥1200.05": 120005, "1200.1000000000001": 120010, "15元": 1500} {
		got, ok := sheet.Yuan(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "1.234", "-5", "一千", "1e3", "12.3.4"} {
		_, ok := sheet.Yuan(in)
		assert.False(t, ok, in)
	}
}

func TestNormalize_IgnoresSpacesWidthsCaseAndRequiredMarks(t *testing.T) {
	assert.Equal(t, "补贴金额(元)", sheet.Normalize(" 补贴金额（元）* "))
	assert.Equal(t, "开始日期", sheet.Normalize("开始\n日期"))
	assert.Equal(t, "external_id", sheet.Normalize("External_ID"))
	assert.Equal(t, "abc", sheet.Normalize("ＡＢＣ"))
}

var schema = sheet.Schema{
	Kind:     "row",
	Keys:     []string{"ssn", "name", "amount", "amount:yuan"},
	Aliases:  map[string]string{"身份证号": "ssn", "姓名": "name", "金额(元)": "amount:yuan"},
	Required: []string{"ssn", "name"},
	Ignored:  []string{"序号"},
}

func TestLocate_FindsTheHeaderBelowTitleRows(t *testing.T) {
	g := &sheet.Grid{Rows: [][]string{
		{"单位：××职业培训学校"},
		{"填报日期：2026年11月20日", "", "", "制表人：李四"},
		{},
		{"序号", "姓名", "身份证号", "金额（元）"},
		{"1", "张三", "x", "1"},
		{},
		{"2", "李四", "y", ""},
		{"", " "},
	}}
	h, err := schema.Locate(g)
	require.NoError(t, err)
	assert.Equal(t, 4, h.Row)
	assert.Equal(t, []string{"", "name", "ssn", "amount:yuan"}, h.Keys, "序号 is skipped")
	assert.Equal(t, "金额（元）", h.Label("amount"))
	rows, err := h.Data(g)
	require.NoError(t, err)
	assert.Equal(t, []int{5, 6, 7}, rows.Lines, "a blank row in the middle keeps its place; trailing ones go")
}

func TestLocate_RefusesBadHeadersNamingTheColumn(t *testing.T) {
	_, err := schema.Locate(&sheet.Grid{Rows: [][]string{{"姓名", "身份证号", "电话"}}})
	e := errs.As(err)
	require.NotNil(t, e)
	assert.Equal(t, "unknown_column", e.Code)
	assert.Equal(t, "电话", e.Fields[0].Column, "a real header row may be quoted")
	assert.Equal(t, 1, *e.Fields[0].Row)

	_, err = schema.Locate(&sheet.Grid{Rows: [][]string{{"11010519491231002X", "张三"}}})
	e = errs.As(err)
	require.NotNil(t, e)
	assert.Equal(t, "unknown_column", e.Code)
	assert.Equal(t, "column A", e.Fields[0].Field, "a data row taken for the header is not echoed")
	assert.Empty(t, e.Fields[0].Column)

	_, err = schema.Locate(&sheet.Grid{Rows: [][]string{{"姓名", "身份证号", "amount", "金额(元)"}}})
	assert.Equal(t, "duplicate_column", errs.CodeOf(err), "cents and yuan columns of one field")

	_, err = schema.Locate(&sheet.Grid{Rows: [][]string{{"姓名", "amount"}}})
	assert.Equal(t, "missing_column", errs.CodeOf(err))
}

func TestPositions_PlaceNamesSheetRowAndHeader(t *testing.T) {
	g := &sheet.Grid{Rows: [][]string{{"标题"}, {"姓名", "身份证号"}, {"张三", "x"}, {"李四", "y"}}}
	h, err := schema.Locate(g)
	require.NoError(t, err)
	rows, err := h.Data(g)
	require.NoError(t, err)
	pos := sheet.NewPositions(g, h, rows)
	in := errs.Invalid("invalid_batch", "bad").WithFields(
		errs.RowField(1, "ssn", "invalid_ssn", "ssn is not valid"),
		errs.Field("body", "x", "no row"),
	)
	out := errs.As(pos.Place(in, func(field, code string) string { return "write 18 characters" }))
	require.NotNil(t, out.Fields[0].Row)
	assert.Equal(t, 4, *out.Fields[0].Row)
	assert.Equal(t, "身份证号", out.Fields[0].Column)
	assert.Equal(t, "row 4, 身份证号: ssn is not valid; write 18 characters", out.Fields[0].Message)
	assert.Nil(t, out.Fields[1].Row)

	var none *sheet.Positions
	assert.Same(t, in, errs.As(none.Place(in, nil)), "a JSON batch has no positions")
}

func TestLocate_SkipsTheRostersOtherColumnsAndFooterRows(t *testing.T) {
	g := &sheet.Grid{Rows: [][]string{
		{"序号", "姓名", "性别", "身份证号", "联系电话", "工作单位"},
		{"1", "张三", "男", "x", "13800000000", "某厂"},
		{"2", "李四", "女", "y", "", ""},
		{"合计", "2人"},
		{},
		{"制表人：王五", "", "", "审核人：赵六", "", "", "2026年11月20日"},
	}}
	h, err := schema.Locate(g)
	require.NoError(t, err)
	assert.Equal(t, []string{"", "name", "", "ssn", "", ""}, h.Keys, "the phone column is never read")
	rows, err := h.Data(g)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, rows.Lines, "totals and signatures below the data are not records")
}

func TestLocate_HeaderOfTwoRows(t *testing.T) {
	sch := sheet.Schema{Kind: "row", Keys: []string{"ssn", "name", "start", "end"},
		Aliases: map[string]string{"身份证号": "ssn", "姓名": "name", "开始日期": "start", "结束日期": "end"}}
	g := &sheet.Grid{Rows: [][]string{
		{"花名册"},
		{"序号", "姓名", "身份证号", "培训时间", ""},
		{"", "", "", "开始日期", "结束日期"},
		{"1", "张三", "x", "2026/1/1", "2026/1/2"},
	}}
	h, err := sch.Locate(g)
	require.NoError(t, err)
	assert.Equal(t, 3, h.Row)
	assert.Equal(t, []string{"", "name", "ssn", "start", "end"}, h.Keys)
	rows, err := h.Data(g)
	require.NoError(t, err)
	assert.Equal(t, []int{4}, rows.Lines)

	// A data row below a one-row header is not a second header row.
	g = &sheet.Grid{Rows: [][]string{{"姓名", "身份证号", "开始日期", "结束日期"}, {"张三", "x", "2026/1/1", "2026/1/2"}}}
	h, err = sch.Locate(g)
	require.NoError(t, err)
	assert.Equal(t, 1, h.Row)
}

func TestRead_UTF16TabSeparatedText(t *testing.T) {
	text := "姓名\t身份证号\n张三\tx\n"
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range text {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	g, err := sheet.Read(utf16, sheet.CSV, "")
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"姓名", "身份证号"}, {"张三", "x"}}, g.Rows)
}
