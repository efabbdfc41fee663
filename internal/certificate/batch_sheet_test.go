package certificate_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

func TestParseBatchSheet_ReadsAnEvaluationOrgsWorkbook(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"××评价中心 2026年第四季度职业技能等级证书发放名册"},
		{"序号", "证书编号", "姓名", "身份证号码", "证书类型", "职业编码", "职业名称", "等级", "发证日期", "有效期至"},
		{1, "zz-000123", "张三", "11010519491231002X", "职业技能等级证书", "6-18-01-01", "焊工", "三级/高级工", time.Date(2026, 10, 8, 0, 0, 0, 0, time.UTC), "2029年10月7日"},
		{2, "ZZ-000124", "李四", "11010519491231002X", "专项职业能力证书", "6-18-01-01", "焊工", nil, "2026/10/8", nil},
		{3, "ZZ-000125", "王五", "11010519491231002X", "技能证书", "6-18-01-01", "焊工", "特级", "2026-10-08", nil},
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		require.NoError(t, f.SetSheetRow("Sheet1", cell, &row))
	}
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)

	got, bad, pos, err := certificate.ParseBatchSheet(buf.Bytes(), sheet.XLSX, "", 10)
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, certificate.Input{
		No: "zz-000123", SSN: "11010519491231002X", Name: "张三", Type: "skill_level", OccupationCode: "6-18-01-01",
		OccupationName: "焊工", Level: ptrInt(3), IssuedOn: "2026-10-08", ValidUntil: "2029-10-07",
	}, got[0])
	assert.Equal(t, "special_ability", got[1].Type)
	assert.Nil(t, got[1].Level)
	require.Len(t, bad, 1)
	assert.Equal(t, "level", bad[0].Field)
	assert.Equal(t, "wrong_type", bad[0].Code)

	// Placed, the row's errors name the sheet's row 5 and the headers as written.
	_, fields := got[2].Validate(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	all := append([]errs.FieldError{}, bad...)
	for _, fe := range fields {
		all = append(all, errs.RowField(2, fe.Field, fe.Code, fe.Message))
	}
	e := errs.As(pos.Place(errs.Invalid("invalid_batch", "bad").WithFields(all...), certificate.SheetHint))
	for _, fe := range e.Fields {
		require.NotNil(t, fe.Row)
		assert.Equal(t, 5, *fe.Row)
	}
	assert.Equal(t, "等级", e.Fields[0].Column)
	assert.Equal(t, "证书类型", e.Fields[1].Column)
	assert.Contains(t, e.Fields[1].Message, "职业技能等级证书, 职业资格证书")
}

func TestTemplate_CertificateSampleRowReadsBack(t *testing.T) {
	book, err := certificate.Template(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	got, bad, _, err := certificate.ParseBatchSheet(book, sheet.Sniff(book), "", 10)
	require.NoError(t, err)
	require.Empty(t, bad)
	require.Len(t, got, 1)
	_, fields := got[0].Validate(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	assert.Empty(t, fields)
}

func ptrInt(v int) *int { return &v }
