package worker

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"strings"

	"skillrecord/internal/errs"
)

// requiredColumns must appear in a CSV header; card_status and issued_on may be left out.
var requiredColumns = [...]string{FieldSSN, FieldName, FieldCardNumber, FieldIssueArea}

// ReadCSV streams the rows of a UTF-8 CSV body whose first line is a header naming the columns
// (any order; ssn, name, card_number and issue_area required, card_status and issued_on
// optional; a leading byte-order mark is ignored). Each data line yields one row; blank lines
// are skipped. The sequence stops after yielding an error: errs Malformed with code
// malformed_csv, unknown_field or missing_column for a bad document, or malformed_body (with the
// read error as its cause, e.g. *http.MaxBytesError) when the body cannot be read. Error
// messages name lines and columns, never the values in them.
func ReadCSV(body io.Reader) iter.Seq2[ImportRow, error] {
	return func(yield func(ImportRow, error) bool) {
		br := bufio.NewReaderSize(body, 64<<10)
		if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
			_, _ = br.Discard(3)
		}
		r := csv.NewReader(br)
		r.ReuseRecord = true
		header, err := r.Read()
		if errors.Is(err, io.EOF) {
			yield(ImportRow{}, errs.Malformed("malformed_csv", "the CSV body is empty: its first line must be the header %s", strings.Join(Columns[:], ",")))
			return
		}
		if err != nil {
			yield(ImportRow{}, csvError(err))
			return
		}
		columns, err := csvColumns(header)
		if err != nil {
			yield(ImportRow{}, err)
			return
		}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(ImportRow{}, csvError(err))
				return
			}
			var row ImportRow
			for i, v := range rec {
				row.set(columns[i], v)
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// csvColumns checks the header and returns the field of each column.
func csvColumns(header []string) ([]string, error) {
	columns := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !(&ImportRow{}).set(name, "") {
			// The header may be a data line by mistake: never echo it.
			return nil, errs.Malformed("unknown_field", "column %d of the header is not one of %s", i+1, strings.Join(Columns[:], ","))
		}
		if seen[name] {
			return nil, errs.Malformed("malformed_csv", "the header names the column %s twice", name)
		}
		seen[name] = true
		columns[i] = name
	}
	for _, c := range requiredColumns {
		if !seen[c] {
			return nil, errs.Malformed("missing_column", "the header has no %s column", c).
				WithFields(errs.Field(c, "missing_column", "the CSV header must name this column"))
		}
	}
	return columns, nil
}

// csvError classifies a failure of the CSV reader: a syntax error is malformed_csv with its
// line; anything else is a failure to read the body.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrFieldCount) || errors.Is(pe.Err, csv.ErrQuote) ||
		errors.Is(pe.Err, csv.ErrBareQuote)) {
		return errs.Malformed("malformed_csv", "CSV line %d: %s", pe.Line, pe.Err.Error())
	}
	return errs.Malformed("malformed_body", "the request body could not be read").WithCause(err)
}
