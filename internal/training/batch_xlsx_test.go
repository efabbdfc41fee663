package training_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/training"
)

func minimalRow(id string, hours any, start, end any) []any {
	return []any{id, string(workerSSN), "张三", "焊工", "pre_job", "6-18-01-01", hours, start, end, "passed"}
}

func TestParseBatchXLSX_ConvertsTypedCells(t *testing.T) {
	header := toAny(append(strings.Split(minimalHeader, ","), "subsidized", "level"))
	rows := [][]any{
		header,
		append(minimalRow("A1", 8, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), "2026-01-06"), "TRUE", 3.0),
		append(minimalRow("A2", 8.0, "2026-01-05", 46028), false, "2"), // 46028 is 2026-01-06
	}
	got, bad, err := training.ParseBatchXLSX(bytes.NewReader(buildXLSX(t, false, rows)), 10)
	require.NoError(t, err)
	require.Empty(t, bad)
	require.Len(t, got, 2)
	for _, in := range got {
		assert.Equal(t, "2026-01-05", in.StartDate)
		assert.Equal(t, "2026-01-06", in.EndDate)
		assert.Equal(t, ptr(8), in.Hours)
	}
	assert.Equal(t, ptr(true), got[0].Subsidized)
	assert.Equal(t, ptr(false), got[1].Subsidized)
	assert.Equal(t, ptr(3), got[0].Level)
	assert.Equal(t, ptr(2), got[1].Level)
}

func TestParseBatchXLSX_ReportsBadCellsAndKeepsBadDatesForValidation(t *testing.T) {
	rows := [][]any{
		toAny(strings.Split(minimalHeader, ",")),
		minimalRow("A1", "abc", "2026-01-05", "2026-01-06"),
		minimalRow("A2", 8, "05/01/2026", 20261345),
		nil, // a blank row in the middle
		minimalRow("A4", 8.5, "2026-01-05", "2026-01-06"),
		nil, nil, // trailing blank rows
	}
	got, bad, err := training.ParseBatchXLSX(bytes.NewReader(buildXLSX(t, false, rows)), 10)
	require.NoError(t, err)
	require.Len(t, got, 4)
	require.Len(t, bad, 2)
	assertRowField(t, bad[0], 0, "hours", "wrong_type")
	assertRowField(t, bad[1], 3, "hours", "wrong_type")
	assert.Equal(t, "05/01/2026", got[1].StartDate)
	assert.Equal(t, "2026-13-45", got[1].EndDate, "a yyyymmdd number is read as a date, and checked later")

	_, err = training.ValidateBatch(got, today, bad...)
	e := requireErr(t, err, errs.KindInvalid, "invalid_batch")
	byRow := map[int]map[string]string{}
	for _, fe := range e.Fields {
		require.NotNil(t, fe.Index)
		if byRow[*fe.Index] == nil {
			byRow[*fe.Index] = map[string]string{}
		}
		byRow[*fe.Index][fe.Field] = fe.Code
	}
	assert.Equal(t, map[string]string{"hours": "wrong_type"}, byRow[0], "no second 'required' for a cell that did not convert")
	assert.Equal(t, map[string]string{"start_date": "invalid_date", "end_date": "invalid_date"}, byRow[1])
	assert.Equal(t, "required", byRow[2]["external_id"])
	assert.Equal(t, map[string]string{"hours": "wrong_type"}, byRow[3])
}

func TestParseBatchXLSX_RefusesWhatIsNotAWorkbook(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		kind errs.Kind
		code string
	}{
		{"csv sent as xlsx", []byte(minimalHeader + "\n"), errs.KindMalformed, "malformed_xlsx"},
		{"empty body", nil, errs.KindMalformed, "malformed_xlsx"},
		{"empty sheet", buildXLSX(t, false, nil), errs.KindMalformed, "malformed_xlsx"},
		{"missing column", buildXLSX(t, false, [][]any{{"external_id"}, {"A1"}}), errs.KindMalformed, "missing_column"},
		{"header only", buildXLSX(t, false, [][]any{toAny(strings.Split(minimalHeader, ","))}), errs.KindInvalid, "empty_batch"},
		{"too many rows", buildXLSX(t, false, [][]any{
			toAny(strings.Split(minimalHeader, ",")),
			minimalRow("A1", 8, "2026-01-05", "2026-01-06"),
			minimalRow("A2", 8, "2026-01-05", "2026-01-06"),
			minimalRow("A3", 8, "2026-01-05", "2026-01-06"),
		}), errs.KindInvalid, "batch_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bad, err := training.ParseBatchXLSX(bytes.NewReader(tt.body), 2)
			requireErr(t, err, tt.kind, tt.code)
			assert.Nil(t, got)
			assert.Nil(t, bad)
		})
	}
}
