package employment

import (
	"iter"

	"skillrecord/internal/sheet"
)

// The spreadsheet vocabulary of an employment spell: the one alias table of its column headers
// and the Chinese spellings of its kinds. docs/spreadsheets.md documents the same table;
// change them together.

var spellSchema = sheet.Schema{
	Kind: "spell",
	Keys: Columns,
	Aliases: aliases(map[string][]string{
		FieldSourceID:     {"来源编号", "来源记录编号", "业务编号", "业务流水号"},
		FieldSSN:          {"社会保障号码", "社会保障号", "社保号码", "身份证号", "身份证号码", "公民身份号码", "证件号码"},
		FieldName:         {"姓名"},
		FieldKind:         {"类型", "登记类型", "记录类型"},
		FieldEmployerCode: {"用人单位统一社会信用代码", "单位统一社会信用代码", "统一社会信用代码", "用人单位信用代码"},
		FieldStartDate:    {"开始日期", "起始日期", "开始时间"},
		FieldEndDate:      {"结束日期", "终止日期", "截止日期", "结束时间"},
	}),
	Required: requiredColumns[:],
	Ignored:  []string{"序号", "备注"},
}

// requiredColumns must have a column; employer_credit_code and end_date may be left out.
var requiredColumns = [...]string{FieldSourceID, FieldSSN, FieldName, FieldKind, FieldStartDate}

func aliases(m map[string][]string) map[string]string {
	out := map[string]string{}
	for key, names := range m {
		for _, n := range names {
			out[sheet.Normalize(n)] = key
		}
	}
	return out
}

// kindWords are the Chinese kinds.
var kindWords = sheet.NewEnum(map[string][]string{
	KindEmployed:             {"就业", "就业登记"},
	KindUnemployedRegistered: {"失业登记", "登记失业"},
	KindInsured:              {"参保", "参保登记"},
})

// ReadSheet reads an employment spreadsheet: a CSV (UTF-8, or GB 18030 when charset declares
// it or the text is not UTF-8) or the first sheet of an XLSX workbook, with a header row —
// below any title rows — naming the columns in any order by their field names or Chinese
// headers (来源编号, 社会保障号码, 姓名, 类型, 用人单位统一社会信用代码, 开始日期, 结束日期);
// employer_credit_code and end_date may be left out. Kinds may be written in Chinese (就业,
// 失业登记, 参保) and dates the common ways. Blank rows are skipped; the Positions give each
// yielded row's sheet row number. A bad document is an errs.Malformed error before any row.
func ReadSheet(body []byte, format sheet.Format, charset string) (iter.Seq2[ImportRow, error], *sheet.Positions, error) {
	return sheet.Records(body, format, charset, spellSchema, func(g *sheet.Grid, key, cell string) string {
		switch key {
		case FieldKind:
			return kindWords.Word(cell)
		case FieldStartDate, FieldEndDate:
			return g.Date(cell)
		}
		return cell
	}, func(row *ImportRow, key, cell string) { row.set(key, cell) })
}
