package training

import (
	"math"
	"strconv"
	"strings"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

// A table is a CSV or XLSX batch: optional title rows, a header row naming the columns (the
// JSON field names or the Chinese headers of batch_sheet.go), then one row per record. This
// file turns its text cells into Inputs.

// ParseBatchSheet reads a spreadsheet batch: format CSV (UTF-8, or GB 18030 when charset
// declares it or the text is not UTF-8) or XLSX (its first sheet). The header row is found
// below any title rows (sheet.Schema.Locate); columns may come in any order and 序号 and 备注
// columns are skipped.
//
// Cells are text, written as a clerk writes them: the enumerations as the API's words or in
// Chinese (合格, 就业技能培训, 是, 五级 or 初级工, 农民工；退役军人), dates in the common
// writings (2026-10-08, 2026/10/8, 2026年10月8日, 2026.10.08, or a date cell), numbers as
// digits or numeric cells, an amount either in cents (subsidy_amount_cents) or in yuan with up
// to two decimals (a header with 元). An amount of 0 on a row that is not subsidised is taken
// as no amount. An empty cell is an absent value. A cell that cannot be converted is returned
// as a FieldError (code wrong_type) with its 0-based data-row index, so that the caller can
// report every bad row together with ValidateBatch's findings; the Positions returned tie
// those indexes to the sheet's rows and columns.
//
// Errors: errs.Malformed for an unreadable file (malformed_csv, malformed_xlsx) and for header
// problems (unknown_column, duplicate_column, missing_column); errs.Invalid for no data rows
// (empty_batch) or more than limit (batch_too_large; limit ≤ 0 means no limit). Rows whose
// cells are all empty are dropped at the end of the file and kept (as empty records) in the
// middle.
func ParseBatchSheet(body []byte, format sheet.Format, charset string, limit int) ([]Input, []errs.FieldError, *sheet.Positions, error) {
	g, err := sheet.Read(body, format, charset)
	if err != nil {
		return nil, nil, nil, err
	}
	h, err := trainingSchema.Locate(g)
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err := h.Data(g)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkCount(len(rows.Cells), limit); err != nil {
		return nil, nil, nil, err
	}
	inputs := make([]Input, len(rows.Cells))
	var bad []errs.FieldError
	for i, cells := range rows.Cells {
		inputs[i], bad = readRow(i, h.Keys, cells, g, bad)
	}
	return inputs, bad, sheet.NewPositions(g, h, rows), nil
}

// readRow converts data row i into an Input, appending its unconvertible cells to bad.
func readRow(i int, keys, cells []string, g *sheet.Grid, bad []errs.FieldError) (Input, []errs.FieldError) {
	var in Input
	for j, cell := range cells {
		if j >= len(keys) || keys[j] == "" || keys[j] == "-" || strings.TrimSpace(cell) == "" {
			continue
		}
		if msg := in.set(keys[j], cell, g); msg != "" {
			bad = append(bad, errs.RowField(i, sheet.FieldOf(keys[j]), CodeWrongType, msg))
		}
	}
	if in.SubsidyAmountCents != nil && *in.SubsidyAmountCents == 0 && (in.Subsidized == nil || !*in.Subsidized) {
		in.SubsidyAmountCents = nil // the 0 that unsubsidised rows of a sheet carry
	}
	return in, bad
}

// set stores cell into the field of key; it returns a message when the cell does not convert.
func (in *Input) set(key, cell string, g *sheet.Grid) string {
	var err string
	switch key {
	case FieldExternalID:
		in.ExternalID = cell
	case FieldSSN:
		in.SSN = cell
	case FieldName:
		in.Name = cell
	case FieldCourseName:
		in.CourseName = cell
	case FieldTrainingType:
		in.TrainingType = typeWords.Word(cell)
	case FieldOccupationCode:
		in.OccupationCode = cell
	case FieldOccupationName:
		in.OccupationName = cell
	case FieldResult:
		in.Result = resultWords.Word(cell)
	case FieldStartDate:
		in.StartDate = g.Date(cell)
	case FieldEndDate:
		in.EndDate = g.Date(cell)
	case FieldLevel:
		in.Level, err = cellInt[int](levelWords.Word(cell), math.MinInt32, math.MaxInt32)
		if err != "" {
			err = "must be a level from 1 to 5 (五级 … 一级, 初级工 … 高级技师)"
		}
	case FieldHours:
		in.Hours, err = cellInt[int](cell, math.MinInt32, math.MaxInt32)
	case FieldSubsidyAmountCents:
		in.SubsidyAmountCents, err = cellInt[int64](cell, math.MinInt64, math.MaxInt64)
	case FieldSubsidyAmountCents + ":yuan":
		if cents, ok := sheet.Yuan(cell); ok {
			in.SubsidyAmountCents = &cents
		} else {
			err = "must be an amount in yuan with at most two decimals, such as 1200 or 1200.50"
		}
	case FieldSubsidized:
		in.Subsidized, err = cellBool(boolWords.Word(cell))
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
// cell) are accepted too (是 and 否 are turned into these words before).
func cellBool(cell string) (*bool, string) {
	var v bool
	switch strings.ToLower(strings.TrimSpace(cell)) {
	case "true", "1":
		v = true
	case "false", "0":
		v = false
	default:
		return nil, "must be 是 or 否 (true or false)"
	}
	return &v, ""
}

// splitGroups splits a trainee_groups cell at ';', '；', '、', ',' or '，', dropping empty
// pieces and turning Chinese names into the API's words, so that "农民工、 youth;" holds two
// groups.
func splitGroups(cell string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool {
		return r == ';' || r == '；' || r == '、' || r == ',' || r == '，' || r == '/' || r == '\n'
	})
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, groupWords.Word(p))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
