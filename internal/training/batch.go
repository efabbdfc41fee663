package training

import (
	"fmt"
	"slices"
	"time"

	"skillrecord/internal/errs"
)

// ValidateBatch validates every input of a batch (all-or-nothing) and returns the records in
// order, or one errs.Invalid with code invalid_batch that lists every bad field of every bad
// row, each with its 0-based row index.
//
// parseErrs are the wrong_type cells that ParseBatchCSV or ParseBatchXLSX reported; they are
// merged in, and a field that already failed to parse is not reported again (as "required").
// An external_id that repeats an earlier row of the same batch is duplicate_in_batch.
func ValidateBatch(inputs []Input, today time.Time, parseErrs ...errs.FieldError) ([]Record, error) {
	if len(inputs) == 0 {
		return nil, errs.Invalid(CodeEmptyBatch, "the batch holds no records")
	}
	parsed := make(map[int][]errs.FieldError, len(parseErrs))
	for _, fe := range parseErrs {
		i := -1
		if fe.Index != nil {
			i = *fe.Index
		}
		parsed[i] = append(parsed[i], fe)
	}
	records := make([]Record, len(inputs))
	var bad []errs.FieldError
	badRows := 0
	seen := make(map[string]int, len(inputs))
	for i, in := range inputs {
		rec, fields := in.Validate(today)
		rowErrs := parsed[i]
		for _, fe := range fields {
			if !hasField(rowErrs, fe.Field) {
				rowErrs = append(rowErrs, errs.RowField(i, fe.Field, fe.Code, fe.Message))
			}
		}
		if id := rec.ExternalID; id != "" {
			if first, dup := seen[id]; dup {
				rowErrs = append(rowErrs, errs.RowField(i, FieldExternalID, CodeDuplicateInBatch,
					fmt.Sprintf("external_id repeats the record at index %d of this batch", first)))
			} else {
				seen[id] = i
			}
		}
		if len(rowErrs) > 0 {
			badRows++
			bad = append(bad, rowErrs...)
			continue
		}
		records[i] = rec
	}
	bad = append(bad, outside(parsed, len(inputs))...)
	if len(bad) > 0 {
		return nil, errs.Invalid(CodeInvalidBatch, "%d of %d records are invalid; the batch is refused as a whole", max(badRows, 1), len(inputs)).
			WithFields(bad...)
	}
	return records, nil
}

func hasField(fields []errs.FieldError, name string) bool {
	for _, fe := range fields {
		if fe.Field == name {
			return true
		}
	}
	return false
}

// outside returns the parse errors whose row is not one of the n inputs (or that have no row),
// in row order, so that none is lost.
func outside(parsed map[int][]errs.FieldError, n int) []errs.FieldError {
	var keys []int
	for i := range parsed {
		if i < 0 || i >= n {
			keys = append(keys, i)
		}
	}
	slices.Sort(keys)
	var out []errs.FieldError
	for _, i := range keys {
		out = append(out, parsed[i]...)
	}
	return out
}
