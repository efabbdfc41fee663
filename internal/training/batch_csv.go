package training

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"skillrecord/internal/errs"
)

// ParseBatchCSV reads a CSV batch (text/csv, UTF-8, comma-separated, an optional UTF-8 BOM):
// a header row of JSON field names in any order, then one record per row.
//
// Cells are text: dates YYYY-MM-DD, booleans true/false (any case), whole numbers, and
// trainee_groups as one cell separated by ';'. An empty cell is an absent value. A cell that
// cannot be converted is returned as a FieldError (code wrong_type) with its 0-based data-row
// index, so that the caller can report every bad row together with ValidateBatch's findings.
//
// Errors: errs.Malformed for an unreadable or non-UTF-8 file (malformed_csv) and for header
// problems (unknown_column, duplicate_column, missing_column); errs.Invalid for no data rows
// (empty_batch) or more than limit (batch_too_large; limit ≤ 0 means no limit). Rows whose cells are
// all empty are dropped at the end of the file and kept (as empty records) in the middle.
func ParseBatchCSV(r io.Reader, limit int) ([]Input, []errs.FieldError, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errs.Malformed(CodeMalformedCSV, "the CSV is empty; its first row must name the fields")
		}
		return nil, nil, csvError(err)
	}
	if !validUTF8(header) {
		return nil, nil, notUTF8()
	}
	cols, err := parseHeader(header)
	if err != nil {
		return nil, nil, err
	}
	buf := rowBuffer{limit: limit}
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, csvError(err)
		}
		if !validUTF8(cells) {
			return nil, nil, notUTF8()
		}
		if err := buf.add(cells); err != nil {
			return nil, nil, err
		}
	}
	rows, err := buf.table()
	if err != nil {
		return nil, nil, err
	}
	return parseRows(cols, rows, func(s string) string { return s })
}

// skipBOM returns r without a leading UTF-8 byte-order mark.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	return br
}

func validUTF8(cells []string) bool {
	for _, c := range cells {
		if !utf8.ValidString(c) {
			return false
		}
	}
	return true
}

func notUTF8() error {
	return errs.Malformed(CodeMalformedCSV, "the CSV must be UTF-8 encoded (save it as \"CSV UTF-8\")")
}

// csvError reports where the CSV broke, without quoting any of it.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errs.Malformed(CodeMalformedCSV, "the CSV cannot be read at line %d, column %d", pe.Line, pe.Column)
	}
	return errs.Malformed(CodeMalformedCSV, "the CSV cannot be read")
}
