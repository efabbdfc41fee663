package training

import (
	"io"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

// ParseBatchCSV reads a CSV batch (text/csv): see ParseBatchSheet. The text may be UTF-8 (with
// or without a byte-order mark) or GB 18030 (GBK), which is detected.
func ParseBatchCSV(r io.Reader, limit int) ([]Input, []errs.FieldError, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, errs.Malformed(CodeMalformedCSV, "the CSV cannot be read")
	}
	inputs, bad, _, err := ParseBatchSheet(body, sheet.CSV, "", limit)
	return inputs, bad, err
}
