package training

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"skillrecord/internal/errs"
)

// Limits on what an uploaded workbook may unpack to; the body itself is limited by the caller.
const (
	xlsxUnzipLimit    = 64 << 20
	xlsxUnzipXMLLimit = 16 << 20
)

// Excel serial day numbers accepted as dates: 61 is 1900-03-01 (after Excel's phantom
// 1900-02-29), 2958465 is 9999-12-31.
const (
	minSerialDate = 61
	maxSerialDate = 2958465
)

// ParseBatchXLSX reads an XLSX batch: the first sheet of the workbook, laid out and converted
// as ParseBatchCSV describes. Cells may also be typed: numeric cells for numbers, boolean cells
// for subsidized, and real date cells (date-formatted serial numbers, in the workbook's 1900 or
// 1904 date system, or ISO dates) for start_date and end_date. An unreadable or encrypted
// workbook is errs.Malformed (malformed_xlsx).
func ParseBatchXLSX(r io.Reader, limit int) ([]Input, []errs.FieldError, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		return nil, nil, badXLSX()
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, badXLSX()
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, nil, badXLSX()
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, badXLSX()
	}
	defer func() { _ = it.Close() }()
	var cols columns
	buf := rowBuffer{limit: limit}
	for first := true; it.Next(); first = false {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, badXLSX()
		}
		if first {
			if cols, err = parseHeader(cells); err != nil {
				return nil, nil, err
			}
			continue
		}
		if err := buf.add(cells); err != nil {
			return nil, nil, err
		}
	}
	if it.Error() != nil {
		return nil, nil, badXLSX()
	}
	if cols == nil {
		return nil, nil, errs.Malformed(CodeMalformedXLSX, "the first sheet is empty; its first row must name the fields")
	}
	rows, err := buf.table()
	if err != nil {
		return nil, nil, err
	}
	date1904 := props.Date1904 != nil && *props.Date1904
	return parseRows(cols, rows, func(s string) string { return xlsxDate(s, date1904) })
}

func badXLSX() error {
	return errs.Malformed(CodeMalformedXLSX, "the body is not a readable XLSX workbook")
}

// xlsxDate turns the raw value of a date cell into "YYYY-MM-DD": text already in that form is
// kept, an ISO date-time (a t="d" cell) keeps its date, and a serial day number is converted in
// the workbook's date system (any time of day is dropped). Anything else is returned unchanged
// for Validate to refuse.
func xlsxDate(cell string, date1904 bool) string {
	s := strings.TrimSpace(cell)
	if _, err := ParseDate(s); err == nil {
		return s
	}
	if len(s) > 10 && s[10] == 'T' {
		if _, err := ParseDate(s[:10]); err == nil {
			return s[:10]
		}
	}
	serial, err := strconv.ParseFloat(s, 64)
	if err != nil || serial < minSerialDate || serial >= maxSerialDate+1 {
		return cell
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return cell
	}
	return DateOf(t.In(time.UTC)).String()
}
