package worker

import (
	"iter"
	"time"

	"skillrecord/internal/sheet"
)

// The spreadsheet vocabulary of a cardholder row: the one alias table of its column headers,
// the Chinese card statuses and the template. docs/spreadsheets.md documents the same table;
// change them together.

var cardholderSchema = sheet.Schema{
	Kind: "cardholder row",
	Keys: Columns[:],
	Aliases: aliases(map[string][]string{
		FieldSSN:        {"社会保障号码", "社会保障号", "社保号码", "身份证号", "身份证号码", "公民身份号码", "证件号码"},
		FieldName:       {"姓名"},
		FieldCardNumber: {"卡号", "社保卡号", "社会保障卡号", "社会保障卡卡号"},
		FieldIssueArea:  {"发卡地区", "发卡地区代码", "发卡地", "发卡地区编码"},
		FieldCardStatus: {"卡状态", "卡片状态", "社保卡状态"},
		FieldIssuedOn:   {"发卡日期", "发卡时间"},
	}),
	Required: requiredColumns[:],
	Ignored:  []string{"序号", "备注"},
}

// requiredColumns must have a column; card_status and issued_on may be left out.
var requiredColumns = [...]string{FieldSSN, FieldName, FieldCardNumber, FieldIssueArea}

func aliases(m map[string][]string) map[string]string {
	out := map[string]string{}
	for key, names := range m {
		for _, n := range names {
			out[sheet.Normalize(n)] = key
		}
	}
	return out
}

// statusWords are the Chinese card statuses.
var statusWords = sheet.NewEnum(map[string][]string{
	string(CardActive):    {"正常", "在用"},
	string(CardLost):      {"挂失", "临时挂失", "正式挂失", "已挂失"},
	string(CardReplaced):  {"换卡", "已换卡", "补换卡"},
	string(CardCancelled): {"注销", "已注销"},
})

// ReadSheet reads a cardholder spreadsheet: a CSV (UTF-8, or GB 18030 when charset declares
// it or the text is not UTF-8) or the first sheet of an XLSX workbook, with a header row —
// below any title rows — naming the columns in any order by their field names or Chinese
// headers (社会保障号码, 姓名, 卡号, 发卡地区, 卡状态, 发卡日期); ssn, name, card_number and
// issue_area are required. Card statuses may be written in Chinese (正常, 挂失, 换卡, 注销)
// and dates the common ways. Blank rows are skipped; the Positions give each yielded row's
// sheet row number. A bad document is an errs.Malformed error before any row.
func ReadSheet(body []byte, format sheet.Format, charset string) (iter.Seq2[ImportRow, error], *sheet.Positions, error) {
	return sheet.Records(body, format, charset, cardholderSchema, func(g *sheet.Grid, key, cell string) string {
		switch key {
		case FieldCardStatus:
			return statusWords.Word(cell)
		case FieldIssuedOn:
			return g.Date(cell)
		}
		return cell
	}, func(row *ImportRow, key, cell string) { row.set(key, cell) })
}

// SheetHint says what to write instead, for the errors of a cardholder row in a spreadsheet.
func SheetHint(field, code string) string {
	switch code {
	case CodeInvalidCardStatus:
		return "write one of 正常, 挂失, 换卡, 注销"
	case CodeInvalidDate:
		return "write a date such as 2021-03-15, 2021/3/15 or 2021年3月15日, or use a date cell"
	case "invalid_ssn":
		return "write the 18-character number as text (format the cell as 文本, or Excel rounds it)"
	case CodeRequired:
		return "fill in this cell"
	}
	return ""
}

// Template is the XLSX template of a cardholder import; ReadSheet reads it back.
func Template(today time.Time) ([]byte, error) {
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return sheet.Template("持卡人员", []sheet.TemplateColumn{
		{Header: "社会保障号码", Sample: "11010519491231002X", Text: true, Width: 22},
		{Header: "姓名", Sample: "张三"},
		{Header: "社保卡号", Sample: "A12345678", Text: true},
		{Header: "发卡地区", Sample: "370400", Text: true, Note: "6 位行政区划代码"},
		{Header: "卡状态", Sample: "正常", Choices: []string{"正常", "挂失", "换卡", "注销"}, Note: "不填视为正常"},
		{Header: "发卡日期", Sample: day.AddDate(-1, 0, 0), Date: true, Note: "可不填"},
	})
}
