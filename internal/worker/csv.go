package worker

import (
	"io"
	"iter"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

// ReadCSV reads the rows of a CSV body (UTF-8 with or without a byte-order mark, or GB 18030),
// laid out as ReadSheet describes. The sequence stops after yielding an error: errs Malformed
// with code malformed_csv, unknown_column, duplicate_column or missing_column for a bad
// document, or malformed_body (with the read error as its cause, e.g. *http.MaxBytesError)
// when the body cannot be read. Error messages name rows and columns, never the values in
// them.
func ReadCSV(body io.Reader) iter.Seq2[ImportRow, error] {
	return func(yield func(ImportRow, error) bool) {
		data, err := io.ReadAll(body)
		if err != nil {
			yield(ImportRow{}, errs.Malformed("malformed_body", "the request body could not be read").WithCause(err))
			return
		}
		rows, _, err := ReadSheet(data, sheet.CSV, "")
		if err != nil {
			yield(ImportRow{}, err)
			return
		}
		for row, err := range rows {
			if !yield(row, err) {
				return
			}
		}
	}
}
