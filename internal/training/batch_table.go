package training

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"skillrecord/internal/errs"
)

// A table is a CSV or XLSX batch: a header row of JSON field names, then one row per record.
// This file turns its text cells into Inputs; batch_csv.go and batch_xlsx.go read the cells.

// allFields lists every column a table may have.
var allFields = [...]string{
	FieldExternalID, FieldSSN, FieldName, FieldCourseName, FieldTrainingType, FieldOccupationCode,
	FieldOccupationName, FieldLevel, FieldHours, FieldStartDate, FieldEndDate, FieldResult,
	FieldSubsidized, FieldSubsidyAmountCents, FieldTraineeGroups,
}

// columns maps header positions to field names; "" marks a column without a header, which
// must stay empty.
type columns []string

// parseHeader reads the header row: JSON field names in any order, ASCII case and surrounding
// spaces ignored. Unknown and repeated names and missing required columns are errs.Malformed.
func parseHeader(header []string) (columns, error) {
	cols := make(columns, len(header))
	var unknown, dup []errs.FieldError
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == "":
		case indexOf(allFields[:], name) < 0:
			label := headerLabel(h, i)
			unknown = append(unknown, errs.Field(label, CodeUnknownColumn, "this column is not a field of a training record"))
		case indexOf(cols, name) >= 0:
			dup = append(dup, errs.Field(name, CodeDuplicateColumn, "this field has more than one column"))
		default:
			cols[i] = name
		}
	}
	var missing []errs.FieldError
	for _, f := range requiredFields {
		if indexOf(cols, f) < 0 {
			missing = append(missing, errs.Field(f, CodeMissingColumn, "this required field has no column"))
		}
	}
	switch {
	case len(unknown) > 0:
		return nil, errs.Malformed(CodeUnknownColumn, "the header row must hold only field names of a training record").
			WithFields(append(unknown, missing...)...)
	case len(dup) > 0:
		return nil, errs.Malformed(CodeDuplicateColumn, "a field appears in more than one column").WithFields(dup...)
	case len(missing) > 0:
		return nil, errs.Malformed(CodeMissingColumn, "the header row lacks required fields").WithFields(missing...)
	}
	return cols, nil
}

// headerLabel names an unknown column. A header that does not look like a field name (a file
// without a header row starts with a record, personal data) is named by its position instead.
func headerLabel(h string, i int) string {
	h = strings.TrimSpace(h)
	if len(h) <= 40 && strings.Trim(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_ -") == "" {
		return h
	}
	return fmt.Sprintf("column %d", i+1)
}

// cellDate converts a date cell to its "YYYY-MM-DD" text; CSV keeps the text as it is.
type cellDate func(string) string

// row converts data row i into an Input. Empty (or all-space) cells are absent values; a cell
// that cannot be converted to its field's type becomes a wrong_type FieldError for row i.
func (cols columns) row(i int, cells []string, date cellDate) (Input, []errs.FieldError, error) {
	var in Input
	var bad []errs.FieldError
	for j, cell := range cells {
		if strings.TrimSpace(cell) == "" {
			continue
		}
		if j >= len(cols) || cols[j] == "" {
			return Input{}, nil, errs.Malformed(CodeUnknownColumn, "data row %d has a value in column %d, which has no header", i, j+1)
		}
		if err := in.set(cols[j], cell, date); err != "" {
			bad = append(bad, errs.RowField(i, cols[j], CodeWrongType, err))
		}
	}
	return in, bad, nil
}

// set stores cell into field name of in; it returns a message when the cell does not convert.
func (in *Input) set(name, cell string, date cellDate) string {
	var err string
	switch name {
	case FieldExternalID:
		in.ExternalID = cell
	case FieldSSN:
		in.SSN = cell
	case FieldName:
		in.Name = cell
	case FieldCourseName:
		in.CourseName = cell
	case FieldTrainingType:
		in.TrainingType = cell
	case FieldOccupationCode:
		in.OccupationCode = cell
	case FieldOccupationName:
		in.OccupationName = cell
	case FieldResult:
		in.Result = cell
	case FieldStartDate:
		in.StartDate = date(cell)
	case FieldEndDate:
		in.EndDate = date(cell)
	case FieldLevel:
		in.Level, err = cellInt[int](cell, math.MinInt32, math.MaxInt32)
	case FieldHours:
		in.Hours, err = cellInt[int](cell, math.MinInt32, math.MaxInt32)
	case FieldSubsidyAmountCents:
		in.SubsidyAmountCents, err = cellInt[int64](cell, math.MinInt64, math.MaxInt64)
	case FieldSubsidized:
		in.Subsidized, err = cellBool(cell)
	case FieldTraineeGroups:
		in.TraineeGroups = splitGroups(cell)
	}
	return err
}

// cellInt parses a whole number: decimal digits, or a numeric cell value such as "40.0" or
// "4E1" that is exactly a whole number.
func cellInt[T int | int64](cell string, lo, hi int64) (*T, string) {
	s := strings.TrimSpace(cell)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || f < -1<<53 || f > 1<<53 {
			return nil, "must be a whole number"
		}
		n = int64(f)
	}
	if n < lo || n > hi {
		return nil, "is out of range"
	}
	v := T(n)
	return &v, ""
}

// cellBool parses true/false in any letter case; 1 and 0 (the raw value of an XLSX boolean
// cell) are accepted too.
func cellBool(cell string) (*bool, string) {
	var v bool
	switch strings.ToLower(strings.TrimSpace(cell)) {
	case "true", "1":
		v = true
	case "false", "0":
		v = false
	default:
		return nil, "must be true or false"
	}
	return &v, ""
}

// splitGroups splits a trainee_groups cell at ';' (or the full-width '；'), dropping empty
// pieces, so that "migrant_worker; youth;" holds two groups.
func splitGroups(cell string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '；' })
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// rowBuffer collects the data rows of a table, refusing more than limit non-blank ones. Blank
// rows (all cells empty) in the middle are kept, so that indexes still match the sheet; blank
// rows at the end are dropped.
type rowBuffer struct {
	limit    int
	rows     [][]string
	nonBlank int // rows up to and including the last non-blank one
}

func (b *rowBuffer) add(cells []string) error {
	b.rows = append(b.rows, cells)
	if isBlank(cells) {
		return nil
	}
	b.nonBlank = len(b.rows)
	if b.limit > 0 && b.nonBlank > b.limit {
		return errs.Invalid(CodeBatchTooLarge, "the batch holds more than %d records", b.limit)
	}
	return nil
}

// table returns the rows up to the last non-blank one, or empty_batch when there are none.
func (b *rowBuffer) table() ([][]string, error) {
	if b.nonBlank == 0 {
		return nil, errs.Invalid(CodeEmptyBatch, "the batch holds no records")
	}
	return b.rows[:b.nonBlank], nil
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseRows converts every data row, collecting all wrong_type cells.
func parseRows(cols columns, rows [][]string, date cellDate) ([]Input, []errs.FieldError, error) {
	inputs := make([]Input, len(rows))
	var bad []errs.FieldError
	for i, cells := range rows {
		in, fe, err := cols.row(i, cells, date)
		if err != nil {
			return nil, nil, err
		}
		inputs[i] = in
		bad = append(bad, fe...)
	}
	return inputs, bad, nil
}
