package training

import (
	"io"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

// ParseBatchXLSX reads an XLSX batch, the first sheet of the workbook: see ParseBatchSheet.
// Cells may be typed: numeric cells for numbers, boolean cells for subsidized, and real date
// cells (date-formatted serial numbers, in the workbook's 1900 or 1904 date system, or ISO
// dates) for start_date and end_date. An unreadable or encrypted workbook is errs.Malformed
// (malformed_xlsx).
func ParseBatchXLSX(r io.Reader, limit int) ([]Input, []errs.FieldError, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, errs.Malformed(CodeMalformedXLSX, "the body is not a readable XLSX workbook")
	}
	inputs, bad, _, err := ParseBatchSheet(body, sheet.XLSX, "", limit)
	return inputs, bad, err
}
