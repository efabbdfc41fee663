package worker

import (
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"skillrecord/internal/errs"
)

// Bounds of an XLSX import: the unzipped workbook and one of its XML parts.
const (
	xlsxUnzipLimit    = 64 << 20
	xlsxUnzipXMLLimit = 32 << 20
)

// ReadXLSXOf streams the rows of the first sheet of an XLSX workbook laid out as ReadCSVOf's
// CSV: a header row naming t's columns, then one row per data line (blank rows skipped). Cells
// of the dateColumns that hold date serial numbers (a date-formatted cell) are converted to
// YYYY-MM-DD in the workbook's date system; other cells are read as their raw text. An
// unreadable workbook is errs Malformed malformed_xlsx.
func ReadXLSXOf[R any](body io.Reader, t Table[R], dateColumns ...string) iter.Seq2[R, error] {
	return func(yield func(R, error) bool) {
		var zero R
		bad := errs.Malformed("malformed_xlsx", "the body is not a readable XLSX workbook")
		f, err := excelize.OpenReader(body, excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
		if err != nil {
			yield(zero, bad)
			return
		}
		defer func() { _ = f.Close() }()
		sheets := f.GetSheetList()
		props, err := f.GetWorkbookProps()
		if len(sheets) == 0 || err != nil {
			yield(zero, bad)
			return
		}
		date1904 := props.Date1904 != nil && *props.Date1904
		it, err := f.Rows(sheets[0])
		if err != nil {
			yield(zero, bad)
			return
		}
		defer func() { _ = it.Close() }()
		var columns []string
		for it.Next() {
			cells, err := it.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				yield(zero, bad)
				return
			}
			if columns == nil {
				if columns, err = t.columns(cells); err != nil {
					yield(zero, err)
					return
				}
				continue
			}
			if blank(cells) {
				continue
			}
			var row R
			for i, v := range cells {
				if i >= len(columns) {
					break
				}
				for _, dc := range dateColumns {
					if columns[i] == dc {
						v = serialDate(v, date1904)
					}
				}
				t.Set(&row, columns[i], v)
			}
			if !yield(row, nil) {
				return
			}
		}
		if it.Error() != nil {
			yield(zero, bad)
			return
		}
		if columns == nil {
			yield(zero, errs.Malformed("malformed_xlsx", "the first sheet is empty; its first row must name the columns %s", strings.Join(t.Columns, ",")))
		}
	}
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// serialDate turns a date cell's serial day number into YYYY-MM-DD; any other text is kept
// for the row's validation to judge.
func serialDate(cell string, date1904 bool) string {
	s := strings.TrimSpace(cell)
	if _, err := ParseDate(s); err == nil {
		return s
	}
	serial, err := strconv.ParseFloat(s, 64)
	if err != nil || serial < 1 || serial > 2958465 {
		return cell
	}
	tm, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return cell
	}
	return DateOf(tm.In(time.UTC)).String()
}
