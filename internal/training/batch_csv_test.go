package training_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/training"
)

const minimalHeader = "external_id,ssn,name,course_name,training_type,occupation_code,hours,start_date,end_date,result"

func TestParseBatchCSV_HeaderIsCaseAndSpaceInsensitive(t *testing.T) {
	csv := " External_ID ,SSN,Name,course_name,training_type,occupation_code,HOURS,start_date,end_date,result,Subsidized\n" +
		"A1,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed,False\n"
	got, bad, err := training.ParseBatchCSV(strings.NewReader(csv), 10)
	require.NoError(t, err)
	require.Empty(t, bad)
	assert.Equal(t, []training.Input{{
		ExternalID: "A1", SSN: "s", Name: "n", CourseName: "c", TrainingType: "pre_job",
		OccupationCode: "6-18-01-01", Hours: ptr(8), StartDate: "2026-01-01", EndDate: "2026-01-02",
		Result: "passed", Subsidized: ptr(false),
	}}, got)
}

func TestParseBatchCSV_RefusesBadHeaders(t *testing.T) {
	tests := []struct {
		name, header string
		code         string
		fields       map[string]string
	}{
		{"unknown column", minimalHeader + ",grade", "unknown_column", map[string]string{"grade": "unknown_column"}},
		{"missing columns", "external_id,ssn,name,course_name,training_type,occupation_code,start_date,end_date",
			"missing_column", map[string]string{"hours": "missing_column", "result": "missing_column"}},
		{"repeated column", minimalHeader + ",Hours", "duplicate_column", map[string]string{"hours": "duplicate_column"}},
		{"no header row: the data is not echoed", string(workerSSN) + ",张三", "unknown_column",
			map[string]string{"column A": "unknown_column", "column B": "unknown_column"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := training.ParseBatchCSV(strings.NewReader(tt.header+"\nx\n"), 10)
			e := requireErr(t, err, errs.KindMalformed, tt.code)
			got := map[string]string{}
			for _, fe := range e.Fields {
				if fe.Code == tt.code {
					got[fe.Field] = fe.Code
				}
				assert.NotContains(t, fe.Field, string(workerSSN))
			}
			assert.Equal(t, tt.fields, got)
			assert.NotContains(t, e.Error(), string(workerSSN))
		})
	}
}

func TestParseBatchCSV_ReportsEveryUnconvertibleCellWithItsRow(t *testing.T) {
	csv := minimalHeader + ",level,subsidized,subsidy_amount_cents\n" +
		"A1,s,n,c,pre_job,6-18-01-01,abc,2026-01-01,2026-01-02,passed,,,\n" +
		"A2,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed,,maybe,\n" +
		"A3,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed,3.5,,1e30\n" +
		"A4,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed,3,1,12.0\n"
	got, bad, err := training.ParseBatchCSV(strings.NewReader(csv), 10)
	require.NoError(t, err)
	require.Len(t, got, 4)
	require.Len(t, bad, 4)
	assertRowField(t, bad[0], 0, "hours", "wrong_type")
	assertRowField(t, bad[1], 1, "subsidized", "wrong_type")
	assertRowField(t, bad[2], 2, "level", "wrong_type")
	assertRowField(t, bad[3], 2, "subsidy_amount_cents", "wrong_type")
	assert.Nil(t, got[0].Hours)
	assert.Equal(t, ptr(3), got[3].Level)
	assert.Equal(t, ptr(true), got[3].Subsidized)
	assert.Equal(t, ptr(int64(12)), got[3].SubsidyAmountCents)
}

func TestParseBatchCSV_BlankRows(t *testing.T) {
	row := "A%d,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed\n"
	csv := minimalHeader + "\n" + strings.ReplaceAll(row, "%d", "1") + ",,,,,,,,,\n" +
		strings.ReplaceAll(row, "%d", "3") + ",,,,,,,,,\n\n,, ,,,,,,,\n"
	got, bad, err := training.ParseBatchCSV(strings.NewReader(csv), 3)
	require.NoError(t, err, "trailing blank rows do not count against max")
	require.Empty(t, bad)
	require.Len(t, got, 3, "a blank row in the middle keeps the indexes of the sheet")
	assert.Equal(t, training.Input{}, got[1])
	assert.Equal(t, "A3", got[2].ExternalID)
}

func TestParseBatchCSV_RefusesUnreadableFiles(t *testing.T) {
	row := "A1,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed\n"
	tests := []struct {
		name, csv string
		kind      errs.Kind
		code      string
	}{
		{"empty file", "", errs.KindMalformed, "malformed_csv"},
		{"bare quote", minimalHeader + "\nA1,\"s\"x,n\n", errs.KindMalformed, "malformed_csv"},
		{"neither utf-8 nor GB 18030", minimalHeader + "\nA1,s,\xff\xfe,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed\n", errs.KindMalformed, "malformed_csv"},
		{"value beyond the header", minimalHeader + "\n" + strings.TrimSuffix(row, "\n") + ",extra\n", errs.KindMalformed, "unknown_column"},
		{"header only", minimalHeader + "\n", errs.KindInvalid, "empty_batch"},
		{"only blank rows", minimalHeader + "\n,,,,,,,,,\n", errs.KindInvalid, "empty_batch"},
		{"too many rows", minimalHeader + "\n" + strings.Repeat(row, 3), errs.KindInvalid, "batch_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, bad, err := training.ParseBatchCSV(strings.NewReader(tt.csv), 2)
			requireErr(t, err, tt.kind, tt.code)
			assert.Nil(t, got)
			assert.Nil(t, bad)
		})
	}
}

func TestParseBatchCSV_TraineeGroupsCell(t *testing.T) {
	csv := minimalHeader + ",trainee_groups\n" +
		"A1,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed, youth ;veteran；graduate;\n" +
		"A2,s,n,c,pre_job,6-18-01-01,8,2026-01-01,2026-01-02,passed,;\n"
	got, _, err := training.ParseBatchCSV(strings.NewReader(csv), 10)
	require.NoError(t, err)
	assert.Equal(t, []string{"youth", "veteran", "graduate"}, got[0].TraineeGroups)
	assert.Nil(t, got[1].TraineeGroups)
}
