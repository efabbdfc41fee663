package sheet

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"skillrecord/internal/errs"
)

// Schema is an import kind's columns: the keys a header may name and the aliases (the Chinese
// headers clerks write) of each. A key is a field name, optionally followed by ":variant" for
// another way of writing the same field (subsidy_amount_cents:yuan); two columns of one field
// are a duplicate_column. Headers are matched after Normalize.
type Schema struct {
	Kind     string            // what a row is, in errors: "training record"
	Keys     []string          // every key, field names first
	Aliases  map[string]string // header (normalised) → key; the keys themselves match too
	Required []string          // fields that must have a column
	Ignored  []string          // headers (normalised) that are allowed and skipped, e.g. 序号
}

// FieldOf is the field name of a key ("subsidy_amount_cents:yuan" → "subsidy_amount_cents").
func FieldOf(key string) string {
	f, _, _ := strings.Cut(key, ":")
	return f
}

// Normalize is a header as it is matched: without spaces (also full-width ones and line
// breaks), full-width brackets and letters made ASCII, ASCII letters lower-cased, and the
// required marks "*" dropped. "补贴金额（元）*" and "补贴金额(元)" are the same header.
func Normalize(h string) string {
	var b strings.Builder
	for _, r := range h {
		switch {
		case unicode.IsSpace(r), r == '*', r == '＊', r == '\u200b', r == '\ufeff':
			continue
		case r >= '！' && r <= '～': // full-width ASCII forms
			r = r - '！' + '!'
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// key returns the key a header names, "-" for an ignored header, or "" for an unknown one.
func (s Schema) key(h string) string {
	n := Normalize(h)
	if n == "" {
		return ""
	}
	for _, k := range s.Keys {
		if n == k {
			return k
		}
	}
	if k, ok := s.Aliases[n]; ok {
		return k
	}
	for _, ig := range s.Ignored {
		if n == ig {
			return "-"
		}
	}
	if commonIgnored[n] {
		return "-"
	}
	return ""
}

// commonIgnored are headers that clerks' rosters carry beside the fields of every import kind
// (normalised): they are skipped, and their cells are never read, so that a roster need not be
// cut down before it is sent.
var commonIgnored = map[string]bool{
	"序号": true, "备注": true, "性别": true, "年龄": true, "民族": true, "出生日期": true, "出生年月": true,
	"文化程度": true, "学历": true, "联系电话": true, "手机号码": true, "手机号": true, "联系方式": true,
	"工作单位": true, "户籍地址": true, "户籍所在地": true, "家庭住址": true, "现住址": true, "地址": true,
	"班级": true, "班次": true, "班级名称": true, "培训机构": true, "培训地点": true, "签名": true, "本人签名": true,
}

// Header is the located header row of a Grid.
type Header struct {
	Row    int      // the sheet's 1-based row number of the header
	Keys   []string // by column: the key, or "" for a column without a header or an ignored one
	Labels []string // by column: the header as written (trimmed)
}

// Label is the header as written of the column holding field, or "".
func (h Header) Label(field string) string {
	for j, k := range h.Keys {
		if k != "" && FieldOf(k) == field {
			return h.Labels[j]
		}
	}
	return ""
}

// scanRows is how far below the top a header row is looked for.
const scanRows = 20

// Locate finds the header row: the first of the top rows in which at least two cells name
// known columns and they are at least half of the row's non-empty cells, so that title rows
// above it (单位：…, 填报日期：…) are passed over. When no row qualifies, the first non-blank
// row is taken as the header and its cells are reported. Unknown headers (unknown_column),
// a field with two columns (duplicate_column) and required fields without a column
// (missing_column) are errs.Malformed, naming every column at fault by its letter.
func (s Schema) Locate(g *Grid) (Header, error) {
	at := -1
	for r := 0; r < len(g.Rows) && r < scanRows; r++ {
		known, filled := 0, 0
		for _, c := range g.Rows[r] {
			if strings.TrimSpace(c) == "" {
				continue
			}
			filled++
			if s.key(c) != "" {
				known++
			}
		}
		if known >= 2 && known*2 >= filled {
			at = r
			break
		}
	}
	matched := at >= 0
	if !matched {
		for r := range g.Rows {
			if !IsBlank(g.Rows[r]) {
				at = r
				break
			}
		}
	}
	if at < 0 {
		return Header{}, errs.Malformed(emptyCode(g), "the file is empty; its first row must name the columns")
	}
	if matched {
		if cells, ok := s.subHeader(g, at); ok {
			return s.check(cells, at+2, true)
		}
	}
	return s.check(g.Rows[at], at+1, matched)
}

// subHeader merges a header of two rows: a group header (培训时间) spanning merged cells above
// the headers it groups (开始日期, 结束日期), the other headers merged down over both rows. It
// reports whether the row below the header row at is such a second header row: every
// non-empty cell names a known column, at least one of them a field, under a cell that names
// none; the merged header takes those cells.
func (s Schema) subHeader(g *Grid, at int) ([]string, bool) {
	if at+1 >= len(g.Rows) {
		return nil, false
	}
	top, next := g.Rows[at], g.Rows[at+1]
	merged := make([]string, max(len(top), len(next)))
	copy(merged, top)
	fields := 0
	for j, c := range next {
		if strings.TrimSpace(c) == "" {
			continue
		}
		k := s.key(c)
		if k == "" {
			return nil, false
		}
		if j < len(top) {
			if above := s.key(top[j]); above != "" && above != "-" {
				return nil, false
			}
		}
		if k != "-" {
			fields++
		}
		merged[j] = c
	}
	return merged, fields > 0
}

func emptyCode(g *Grid) string {
	if g.Format == XLSX {
		return CodeMalformedXLSX
	}
	return CodeMalformedCSV
}

// check reads the header row (sheet row number row). A header that matched known columns may
// be quoted in errors; otherwise the row may be a record (personal data), so its columns are
// named by letter only.
func (s Schema) check(cells []string, row int, quotable bool) (Header, error) {
	h := Header{Row: row, Keys: make([]string, len(cells)), Labels: make([]string, len(cells))}
	var unknown, dup []errs.FieldError
	seen := map[string]bool{}
	for j, c := range cells {
		label := strings.TrimSpace(c)
		h.Labels[j] = label
		if label == "" {
			continue
		}
		k := s.key(c)
		switch {
		case k == "-":
		case k == "":
			fe := errs.Field("column "+ColumnName(j), CodeUnknownColumn, fmt.Sprintf("column %s of the header row (row %d) is not a column of a %s; see the template for the headers", ColumnName(j), row, s.Kind))
			if quotable && len(label) <= 60 {
				fe.Field, fe.Column = label, label
			}
			fe.Row = &row
			unknown = append(unknown, fe)
		case seen[FieldOf(k)]:
			fe := errs.Field(FieldOf(k), CodeDuplicateColumn, fmt.Sprintf("column %s names %s again", ColumnName(j), FieldOf(k)))
			fe.Row, fe.Column = &row, label
			dup = append(dup, fe)
		default:
			seen[FieldOf(k)] = true
			h.Keys[j] = k
		}
	}
	var missing []errs.FieldError
	for _, f := range s.Required {
		if !seen[f] {
			fe := errs.Field(f, CodeMissingColumn, fmt.Sprintf("the header row (row %d) has no column for %s", row, f))
			fe.Row = &row
			missing = append(missing, fe)
		}
	}
	switch {
	case len(unknown) > 0:
		return Header{}, errs.Malformed(CodeUnknownColumn, "the header row holds columns that are not part of a %s", s.Kind).
			WithFields(append(unknown, missing...)...)
	case len(dup) > 0:
		return Header{}, errs.Malformed(CodeDuplicateColumn, "a field appears in more than one column").WithFields(dup...)
	case len(missing) > 0:
		return Header{}, errs.Malformed(CodeMissingColumn, "the header row lacks required columns").WithFields(missing...)
	}
	return h, nil
}

// ColumnName is the letter of the 0-based column j, as Excel shows it (0 → A, 27 → AB).
func ColumnName(j int) string {
	name, err := excelize.ColumnNumberToName(j + 1)
	if err != nil {
		return fmt.Sprintf("%d", j+1)
	}
	return name
}
