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

// Table describes the rows of an import document for the readers ReadCSVOf, ReadJSONOf and
// ReadXLSXOf, so that every import (the cardholder registry, employment data) reads its
// documents alike: Key is the JSON array's name ({"cardholders": [...]}), Noun names a row in
// messages, Columns are the fields in header order, Required those a header must name, and
// Set stores a column's value in a row (false for an unknown column). R's JSON field tags
// must be the column names.
type Table[R any] struct {
	Key      string
	Noun     string
	Columns  []string
	Required []string
	Set      func(r *R, column, value string) bool
}

// cardholders is the registry import's table.
var cardholders = Table[ImportRow]{
	Key: "cardholders", Noun: "cardholder row", Columns: Columns[:], Required: requiredColumns[:],
	Set: func(r *ImportRow, column, value string) bool { return r.set(column, value) },
}

// ReadCSVOf streams the rows of table t from a UTF-8 CSV body whose first line is a header
// naming t's columns (any order; t.Required must be there; a leading byte-order mark is
// ignored), one row per data line. The sequence stops after yielding an error: errs Malformed
// malformed_csv, unknown_field or missing_column for a bad document, or malformed_body (with
// the read error as its cause, e.g. *http.MaxBytesError) when the body cannot be read. Error
// messages name lines and columns, never the values in them.
func ReadCSVOf[R any](body io.Reader, t Table[R]) iter.Seq2[R, error] {
	return func(yield func(R, error) bool) {
		var zero R
		br := bufio.NewReaderSize(body, 64<<10)
		if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
			_, _ = br.Discard(3)
		}
		r := csv.NewReader(br)
		r.ReuseRecord = true
		header, err := r.Read()
		if errors.Is(err, io.EOF) {
			yield(zero, errs.Malformed("malformed_csv", "the CSV body is empty: its first line must be the header %s", strings.Join(t.Columns, ",")))
			return
		}
		if err != nil {
			yield(zero, tableCSVError(err))
			return
		}
		columns, err := t.columns(header)
		if err != nil {
			yield(zero, err)
			return
		}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(zero, tableCSVError(err))
				return
			}
			var row R
			for i, v := range rec {
				t.Set(&row, columns[i], v)
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// columns checks a header and returns the field of each column.
func (t Table[R]) columns(header []string) ([]string, error) {
	columns := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		var probe R
		if !t.Set(&probe, name, "") {
			// The header may be a data line by mistake: never echo it.
			return nil, errs.Malformed("unknown_field", "column %d of the header is not one of %s", i+1, strings.Join(t.Columns, ","))
		}
		if seen[name] {
			return nil, errs.Malformed("malformed_csv", "the header names the column %s twice", name)
		}
		seen[name] = true
		columns[i] = name
	}
	for _, c := range t.Required {
		if !seen[c] {
			return nil, errs.Malformed("missing_column", "the header has no %s column", c).
				WithFields(errs.Field(c, "missing_column", "the header must name this column"))
		}
	}
	return columns, nil
}

// tableCSVError classifies a failure of the CSV reader: a syntax error is malformed_csv with its
// line; anything else is a failure to read the body.
func tableCSVError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrFieldCount) || errors.Is(pe.Err, csv.ErrQuote) ||
		errors.Is(pe.Err, csv.ErrBareQuote)) {
		return errs.Malformed("malformed_csv", "CSV line %d: %s", pe.Line, pe.Err.Error())
	}
	return errs.Malformed("malformed_body", "the request body could not be read").WithCause(err)
}
