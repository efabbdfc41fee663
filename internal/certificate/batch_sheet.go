package certificate

import (
	"math"
	"strconv"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

// The spreadsheet vocabulary of a certificate: the one alias table of its column headers, the
// Chinese spellings of its enumerations, the advice errors give, and the template.
// docs/spreadsheets.md documents the same table; change them together.

var certificateSchema = sheet.Schema{
	Kind: "certificate",
	Keys: []string{"certificate_no", "ssn", "name", "type", "occupation_code", "occupation_name", "level", "issued_on", "valid_until"},
	Aliases: aliases(map[string][]string{
		"certificate_no":  {"证书编号", "证书号码", "证书号"},
		"ssn":             {"社会保障号码", "社会保障号", "社保号码", "身份证号", "身份证号码", "公民身份号码", "证件号码"},
		"name":            {"姓名", "持证人姓名", "持证人"},
		"type":            {"证书类型", "证书类别"},
		"occupation_code": {"职业编码", "职业代码", "职业(工种)编码"},
		"occupation_name": {"职业名称", "职业(工种)名称", "职业(工种)", "工种"},
		"level":           {"等级", "证书等级", "职业等级", "技能等级"},
		"issued_on":       {"发证日期", "颁证日期", "发证时间"},
		"valid_until":     {"有效期至", "有效期", "有效截止日期"},
	}),
	Required: []string{"certificate_no", "ssn", "name", "type", "occupation_code", "occupation_name", "issued_on"},
	Ignored:  []string{"序号", "备注"},
}

func aliases(m map[string][]string) map[string]string {
	out := map[string]string{}
	for key, names := range m {
		for _, n := range names {
			out[sheet.Normalize(n)] = key
		}
	}
	return out
}

// typeNames are the Chinese names of the types, as the template offers them.
var typeNames = map[string]string{
	TypeSkillLevel: "职业技能等级证书", TypeVocationalQualification: "职业资格证书",
	TypeSpecialAbility: "专项职业能力证书", TypeTraining: "培训合格证书",
}

var (
	typeWords = sheet.NewEnum(map[string][]string{
		TypeSkillLevel: {"职业技能等级证书"}, TypeVocationalQualification: {"职业资格证书"},
		TypeSpecialAbility: {"专项职业能力证书"}, TypeTraining: {"培训合格证书", "培训证书"},
	})
	levelWords = sheet.NewEnum(map[string][]string{
		"1": {"一级", "1级", "高级技师", "一级/高级技师"},
		"2": {"二级", "2级", "技师", "二级/技师"},
		"3": {"三级", "3级", "高级工", "高级", "三级/高级工"},
		"4": {"四级", "4级", "中级工", "中级", "四级/中级工"},
		"5": {"五级", "5级", "初级工", "初级", "五级/初级工"},
	})
)

// ParseBatchSheet reads a spreadsheet batch of certificates, laid out and written as
// training.ParseBatchSheet describes (title rows, Chinese headers of certificateSchema, Chinese
// types and levels, common date writings, GB 18030 CSV). A level that does not convert is a
// wrong_type FieldError of its 0-based data row; the Positions tie rows to the sheet.
func ParseBatchSheet(body []byte, format sheet.Format, charset string, limit int) ([]Input, []errs.FieldError, *sheet.Positions, error) {
	g, err := sheet.Read(body, format, charset)
	if err != nil {
		return nil, nil, nil, err
	}
	h, err := certificateSchema.Locate(g)
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err := h.Data(g)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkCount(len(rows.Cells), limit); err != nil {
		return nil, nil, nil, err
	}
	inputs := make([]Input, len(rows.Cells))
	var bad []errs.FieldError
	for i, cells := range rows.Cells {
		for j, cell := range cells {
			if j >= len(h.Keys) || h.Keys[j] == "" || h.Keys[j] == "-" || strings.TrimSpace(cell) == "" {
				continue
			}
			if !inputs[i].set(h.Keys[j], cell, g) {
				bad = append(bad, errs.RowField(i, h.Keys[j], CodeWrongType, "must be a level from 1 to 5 (五级 … 一级, 初级工 … 高级技师)"))
			}
		}
	}
	return inputs, bad, sheet.NewPositions(g, h, rows), nil
}

// set stores a cell; it reports false for a level that does not convert.
func (in *Input) set(key, cell string, g *sheet.Grid) bool {
	switch key {
	case "certificate_no":
		in.No = cell
	case "ssn":
		in.SSN = cell
	case "name":
		in.Name = cell
	case "type":
		in.Type = typeWords.Word(cell)
	case "occupation_code":
		in.OccupationCode = cell
	case "occupation_name":
		in.OccupationName = cell
	case "issued_on":
		in.IssuedOn = g.Date(cell)
	case "valid_until":
		in.ValidUntil = g.Date(cell)
	case "level":
		f, err := strconv.ParseFloat(strings.TrimSpace(levelWords.Word(cell)), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
			return false
		}
		v := int(f)
		in.Level = &v
	}
	return true
}

// SheetHint says what to write instead, for the errors of a certificate row in a spreadsheet.
func SheetHint(field, code string) string {
	switch code {
	case CodeInvalidNo:
		return "write the number as printed on the certificate, e.g. S000037040000123"
	case CodeInvalidType:
		return "write one of 职业技能等级证书, 职业资格证书, 专项职业能力证书, 培训合格证书"
	case CodeInvalidLevel:
		return "write 1 to 5, 五级 … 一级 or 初级工 … 高级技师"
	case CodeInvalidDate:
		return "write a date such as 2026-10-08, 2026/10/8 or 2026年10月8日, or use a date cell"
	case "invalid_ssn":
		return "write the 18-character number as text (format the cell as 文本, or Excel rounds it)"
	case "invalid_occupation_code":
		return "write a code of the 国家职业分类大典 such as 6-18-01-01"
	case CodeRequired:
		return "fill in this cell"
	}
	return ""
}

// Template is the XLSX template of a certificate batch; ParseBatchSheet reads it back.
func Template(today time.Time) ([]byte, error) {
	types := make([]string, len(typeList))
	for i, t := range typeList {
		types[i] = typeNames[t]
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return sheet.Template("证书", []sheet.TemplateColumn{
		{Header: "证书编号", Sample: "S000037040000123", Text: true, Width: 20, Note: "6 到 32 位大写字母、数字或“-”，全市唯一"},
		{Header: "社会保障号码", Sample: "11010519491231002X", Text: true, Width: 22},
		{Header: "姓名", Sample: "张三"},
		{Header: "证书类型", Sample: typeNames[TypeSkillLevel], Choices: types, Width: 18},
		{Header: "职业编码", Sample: "6-18-01-01", Text: true},
		{Header: "职业名称", Sample: "焊工"},
		{Header: "等级", Sample: "四级/中级工", Choices: []string{"一级/高级技师", "二级/技师", "三级/高级工", "四级/中级工", "五级/初级工"}, Note: "职业技能等级证书、职业资格证书必填"},
		{Header: "发证日期", Sample: day.AddDate(0, 0, -1), Date: true},
		{Header: "有效期至", Date: true, Note: "可不填"},
	})
}
