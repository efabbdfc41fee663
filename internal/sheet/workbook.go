package sheet

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/xuri/excelize/v2"
)

// ReasonHeader heads the column that a refused file gets beside its bad rows.
const ReasonHeader = "错误原因"

// Annotate returns the refused spreadsheet as an XLSX workbook with one more column, headed
// ReasonHeader on the header row, that holds reasons[row] beside each bad row (keyed by the
// sheet's row number). A workbook keeps its first sheet as it was, formats and all; a CSV file
// becomes a workbook of its text cells.
func Annotate(body []byte, format Format, charset string, headerRow int, reasons map[int]string) ([]byte, error) {
	var (
		f     *excelize.File
		name  string
		width int
	)
	if format == XLSX {
		var err error
		if f, err = OpenXLSX(body); err != nil {
			return nil, err
		}
		name = f.GetSheetList()[0]
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, badXLSX()
		}
		for _, r := range rows {
			width = max(width, len(r))
		}
	} else {
		g, err := Read(body, CSV, charset)
		if err != nil {
			return nil, err
		}
		f = excelize.NewFile()
		name = f.GetSheetList()[0]
		text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
		for r, cells := range g.Rows {
			width = max(width, len(cells))
			row := make([]any, len(cells))
			for j, c := range cells {
				row[j] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				return nil, err
			}
		}
		if width > 0 {
			last, _ := excelize.ColumnNumberToName(width)
			_ = f.SetColStyle(name, "A:"+last, text)
		}
	}
	defer func() { _ = f.Close() }()
	col, _ := excelize.ColumnNumberToName(width + 1)
	red, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Color: "9C0006"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return nil, err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"}})
	head := fmt.Sprintf("%s%d", col, max(headerRow, 1))
	if err := f.SetCellStr(name, head, ReasonHeader); err != nil {
		return nil, err
	}
	_ = f.SetCellStyle(name, head, head, bold)
	_ = f.SetColWidth(name, col, col, 60)
	rows := make([]int, 0, len(reasons))
	for r := range reasons {
		rows = append(rows, r)
	}
	slices.Sort(rows)
	for _, r := range rows {
		cell := fmt.Sprintf("%s%d", col, r)
		if err := f.SetCellStr(name, cell, reasons[r]); err != nil {
			return nil, err
		}
		_ = f.SetCellStyle(name, cell, cell, red)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TemplateColumn is one column of an import template.
type TemplateColumn struct {
	Header  string   // the Chinese header, as the import reads it
	Sample  any      // the sample row's value: a string, a number or a time.Time (a date)
	Choices []string // the values a drop-down list offers; none for free text
	Date    bool     // cells formatted as dates
	Text    bool     // cells formatted as text, so that Excel keeps long digit strings whole
	Note    string   // a comment on the header cell
	Width   float64  // column width, in characters; 0 for the default
}

// templateRows is how many rows below the header get the drop-down lists and formats.
const templateRows = 1000

// Template builds an import template: a header row of the columns' headers, one sample row,
// and for the rows below it drop-down lists of the allowed values (kept on a hidden sheet
// 选项), date-formatted date cells and text-formatted identifier cells.
func Template(sheetName string, cols []TemplateColumn) ([]byte, error) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if err := f.SetSheetName(f.GetSheetList()[0], sheetName); err != nil {
		return nil, err
	}
	const lists = "选项"
	if _, err := f.NewSheet(lists); err != nil {
		return nil, err
	}
	if err := f.SetSheetVisible(lists, false); err != nil {
		return nil, err
	}
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
	listCol := 0
	for j, c := range cols {
		col, _ := excelize.ColumnNumberToName(j + 1)
		top := col + "1"
		if err := f.SetCellStr(sheetName, top, c.Header); err != nil {
			return nil, err
		}
		_ = f.SetCellStyle(sheetName, top, top, head)
		width := c.Width
		if width == 0 {
			width = 14
		}
		_ = f.SetColWidth(sheetName, col, col, width)
		body := fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
		switch {
		case c.Date:
			_ = f.SetCellStyle(sheetName, col+"2", fmt.Sprintf("%s%d", col, templateRows+1), date)
		case c.Text:
			_ = f.SetCellStyle(sheetName, col+"2", fmt.Sprintf("%s%d", col, templateRows+1), text)
		}
		if err := setSample(f, sheetName, col+"2", c.Sample); err != nil {
			return nil, err
		}
		if len(c.Choices) > 0 {
			listCol++
			lc, _ := excelize.ColumnNumberToName(listCol)
			for i, v := range c.Choices {
				_ = f.SetCellStr(lists, fmt.Sprintf("%s%d", lc, i+1), v)
			}
			dv := excelize.NewDataValidation(true)
			dv.Sqref = body
			dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$1:$%s$%d", lists, lc, lc, len(c.Choices)))
			if err := f.AddDataValidation(sheetName, dv); err != nil {
				return nil, err
			}
		}
		if c.Note != "" {
			_ = f.AddComment(sheetName, excelize.Comment{Cell: top, Author: "skillrecord", Paragraph: []excelize.RichTextRun{{Text: c.Note}}})
		}
	}
	_ = f.SetPanes(sheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func setSample(f *excelize.File, sheetName, cell string, v any) error {
	switch s := v.(type) {
	case nil:
		return nil
	case string:
		return f.SetCellStr(sheetName, cell, s)
	case time.Time:
		return f.SetCellValue(sheetName, cell, s)
	default:
		return f.SetCellValue(sheetName, cell, s)
	}
}

func ptr[T any](v T) *T { return &v }
