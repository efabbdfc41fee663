package sheet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"skillrecord/internal/errs"
)

// Excel serial day numbers accepted as dates: 61 is 1900-03-01 (after Excel's phantom
// 1900-02-29), 2958465 is 9999-12-31.
const (
	minSerialDate = 61
	maxSerialDate = 2958465
)

// Date turns a date cell into "YYYY-MM-DD" text when it is written one of the common ways —
// 2026-10-08, 2026-10-8, 2026/10/8, 2026.10.08, 2026年10月8日, 20261008, with or without a
// time of day after it — or, in a workbook, is a serial day number (a date-formatted cell) in
// the workbook's date system. It does not check that the date exists; anything it does not
// recognise is returned unchanged, for the domain's validation to refuse.
func (g *Grid) Date(cell string) string {
	s := strings.TrimSpace(cell)
	if s == "" {
		return cell
	}
	if d, ok := writtenDate(s); ok {
		return d
	}
	if g.Format != XLSX {
		return cell
	}
	serial, err := strconv.ParseFloat(s, 64)
	if err != nil || serial < minSerialDate || serial >= maxSerialDate+1 {
		return cell
	}
	t, err := excelize.ExcelDateToTime(serial, g.Date1904)
	if err != nil {
		return cell
	}
	t = t.In(time.UTC)
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), t.Month(), t.Day())
}

// writtenDate recognises a date written as year, month and day.
func writtenDate(s string) (string, bool) {
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i] // a time of day after the date
	}
	if len(s) == 8 && allDigits(s) {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	s = strings.TrimSuffix(s, "日")
	s = strings.NewReplacer("年", "-", "月", "-", "/", "-", ".", "-", "－", "-").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) < 1 || len(parts[2]) > 2 {
		return "", false
	}
	for _, p := range parts {
		if !allDigits(p) {
			return "", false
		}
	}
	return parts[0] + "-" + pad(parts[1]) + "-" + pad(parts[2]), true
}

func pad(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Yuan converts an amount in yuan (元) with at most two decimals, such as "1200", "1,200.5"
// or "￥1200.50", into cents; ok is false for anything else.
func Yuan(cell string) (cents int64, ok bool) {
	s := strings.TrimSpace(cell)
	s = strings.TrimLeft(s, "¥￥")
	s = strings.TrimSuffix(s, "元")
	s = strings.ReplaceAll(s, ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) || len(whole) > 12 {
		return 0, false
	}
	if len(frac) > 2 {
		// A workbook's raw value may carry float noise (1200.1 stored as 1200.0999999999999).
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(f*100-math.Round(f*100)) > 1e-6 {
			return 0, false
		}
		return int64(math.Round(f * 100)), true
	}
	if frac != "" && !allDigits(frac) {
		return 0, false
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	return n*100 + f, true
}

// Enum maps the ways clerks write the values of one enumeration — the API's own words and
// Chinese ones — to the API's words. Lookups ignore spaces, full-width forms and ASCII case.
type Enum map[string]string

// NewEnum builds an Enum from pairs of (API word, its other spellings...).
func NewEnum(values map[string][]string) Enum {
	e := Enum{}
	for word, spellings := range values {
		e[Normalize(word)] = word
		for _, s := range spellings {
			e[Normalize(s)] = word
		}
	}
	return e
}

// Word returns the API word for cell, or cell unchanged when it is not one of the spellings.
func (e Enum) Word(cell string) string {
	if w, ok := e[Normalize(cell)]; ok {
		return w
	}
	return cell
}

// header is the header as written of column j, "" when there is none.
func (h Header) header(j int) string {
	if j < len(h.Labels) {
		return h.Labels[j]
	}
	return ""
}

// Rows are a sheet's data rows: Cells[i] is data row i (0-based), found on the sheet's row
// Lines[i].
type Rows struct {
	Cells [][]string
	Lines []int
}

// footerWords start the rows that clerks put below the data: totals, signatures, notes.
var footerWords = []string{"合计", "总计", "小计", "制表", "填表", "审核", "负责人", "单位负责人", "经办人", "注：", "注:", "说明"}

// isFooter reports whether a row's first non-empty cell starts with a footer word.
func isFooter(cells []string) bool {
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			for _, w := range footerWords {
				if strings.HasPrefix(c, w) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// Data returns the rows below the header up to the last one that is neither blank nor a
// footer (合计…, 制表人…, 注：…, which are dropped at the end of the sheet only); blank rows in
// the middle are kept (as empty records), so that every data row keeps its place. A value in a
// column without a header is errs.Malformed unknown_column, naming its row and column (footer
// rows at the end may have such values).
func (h Header) Data(g *Grid) (Rows, error) {
	var out Rows
	last := 0
	end := len(g.Rows)
	for end > h.Row && (IsBlank(g.Rows[end-1]) || isFooter(g.Rows[end-1])) {
		end--
	}
	for r := h.Row; r < end; r++ {
		cells := g.Rows[r]
		for j, c := range cells {
			if strings.TrimSpace(c) != "" && (j >= len(h.Keys) || h.Keys[j] == "" && h.header(j) == "") {
				row := r + 1
				fe := errs.Field("column "+ColumnName(j), CodeUnknownColumn, "this column has no header")
				fe.Row = &row
				return Rows{}, errs.Malformed(CodeUnknownColumn, "row %d has a value in column %s, which has no header", row, ColumnName(j)).WithFields(fe)
			}
		}
		out.Cells = append(out.Cells, cells)
		out.Lines = append(out.Lines, r+1)
		if !IsBlank(cells) && !isFooter(cells) {
			last = len(out.Cells)
		}
	}
	out.Cells, out.Lines = out.Cells[:last], out.Lines[:last]
	return out, nil
}
