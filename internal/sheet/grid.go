package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"skillrecord/internal/errs"
)

// Codes of the errors of this package. The import readers keep these words.
const (
	CodeMalformedCSV    = "malformed_csv"    // Malformed: not readable as CSV text
	CodeMalformedXLSX   = "malformed_xlsx"   // Malformed: not a readable XLSX workbook
	CodeUnknownColumn   = "unknown_column"   // Malformed: a header that is not a known column
	CodeMissingColumn   = "missing_column"   // Malformed: a required field has no column
	CodeDuplicateColumn = "duplicate_column" // Malformed: a field has two columns
)

// Limits on what an uploaded workbook may unpack to; the body itself is limited by the caller.
const (
	xlsxUnzipLimit    = 64 << 20
	xlsxUnzipXMLLimit = 16 << 20
)

// Grid is a spreadsheet read as text: Rows[r] holds the cells of the sheet's row r+1, as
// written (CSV) or as their raw values (XLSX: a number is its decimal text, a date cell its
// serial day number, a boolean 1 or 0). Rows may be ragged.
type Grid struct {
	Format   Format
	Rows     [][]string
	Date1904 bool // the workbook counts serial dates from 1904
}

// Read reads body as a spreadsheet of the given format. A CSV body is first turned into UTF-8
// (see ToUTF8, with the declared charset); an XLSX body is its first sheet.
func Read(body []byte, format Format, charset string) (*Grid, error) {
	if format == XLSX {
		return readXLSX(body)
	}
	text, err := ToUTF8(body, charset)
	if err != nil {
		return nil, err
	}
	return readCSV(text)
}

func readCSV(text []byte) (*Grid, error) {
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.Comma = delimiter(text)
	r.LazyQuotes = r.Comma == '\t' // Excel's tab-separated text does not quote
	g := &Grid{Format: CSV}
	for {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			return g, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		g.Rows = append(g.Rows, cells)
	}
}

// csvError reports where the CSV broke, without quoting any of it.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errs.Malformed(CodeMalformedCSV, "the CSV cannot be read at line %d, column %d", pe.Line, pe.Column)
	}
	return errs.Malformed(CodeMalformedCSV, "the CSV cannot be read")
}

// OpenXLSX opens an uploaded workbook with the unpacking limits.
func OpenXLSX(body []byte) (*excelize.File, error) {
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{UnzipSizeLimit: xlsxUnzipLimit, UnzipXMLSizeLimit: xlsxUnzipXMLLimit})
	if err != nil {
		return nil, badXLSX()
	}
	return f, nil
}

func readXLSX(body []byte) (*Grid, error) {
	f, err := OpenXLSX(body)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, badXLSX()
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, badXLSX()
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, badXLSX()
	}
	defer func() { _ = it.Close() }()
	g := &Grid{Format: XLSX, Date1904: props.Date1904 != nil && *props.Date1904}
	for it.Next() {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, badXLSX()
		}
		g.Rows = append(g.Rows, cells)
	}
	if it.Error() != nil {
		return nil, badXLSX()
	}
	return g, nil
}

func badXLSX() error {
	return errs.Malformed(CodeMalformedXLSX, "the body is not a readable XLSX workbook")
}

// IsBlank reports whether every cell is empty or spaces.
func IsBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// delimiter tells comma-separated text from the tab-separated text of Excel's "Unicode 文本"
// and "文本文件(制表符分隔)": whichever of the two is more frequent near the top.
func delimiter(text []byte) rune {
	head := text[:min(len(text), 8<<10)]
	if bytes.Count(head, []byte{'\t'}) > bytes.Count(head, []byte{','}) {
		return '\t'
	}
	return ','
}
