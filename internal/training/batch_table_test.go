package training_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"skillrecord/internal/training"
)

// The same three-record batch as JSON, CSV and XLSX. Columns are in a different order in the
// tables, which also leave optional columns empty where the JSON omits them.
const sameBatchJSON = `{"records":[
 {"external_id":"A1","ssn":"%SSN%","name":"张三","course_name":"焊工, 中级","training_type":"job_skills_upgrade",
  "occupation_code":"6-18-01-01","occupation_name":"焊工","level":4,"hours":40,"start_date":"2026-03-01",
  "end_date":"2026-03-20","result":"passed","subsidized":true,"subsidy_amount_cents":150000,
  "trainee_groups":["migrant_worker","youth"]},
 {"external_id":"A2","ssn":"%SSN%","name":"李四","course_name":"电工","training_type":"pre_job",
  "occupation_code":"6-31-01-03","hours":16,"start_date":"2026-04-01","end_date":"2026-04-02",
  "result":"failed","subsidized":false},
 {"external_id":"A3","ssn":"%SSN%","name":"王五","course_name":"创业","training_type":"entrepreneurship",
  "occupation_code":"4-07-02-01","hours":2000,"start_date":"2025-01-01","end_date":"2025-12-31",
  "result":"passed","trainee_groups":["veteran"]}
]}`

var sameBatchHeader = []string{
	"result", "external_id", "ssn", "name", "course_name", "training_type", "occupation_code",
	"occupation_name", "level", "hours", "start_date", "end_date", "subsidized",
	"subsidy_amount_cents", "trainee_groups",
}

func sameBatchCSV() string {
	return "\ufeff" + strings.Join(sameBatchHeader, ",") + "\r\n" +
		`passed,A1,%SSN%,张三,"焊工, 中级",job_skills_upgrade,6-18-01-01,焊工,4,40,2026-03-01,2026-03-20,TRUE,150000,migrant_worker;youth` + "\r\n" +
		`failed,A2,%SSN%,李四,电工,pre_job,6-31-01-03,,,16,2026-04-01,2026-04-02,false,,` + "\r\n" +
		`passed,A3,%SSN%,王五,创业,entrepreneurship,4-07-02-01,,,2000,2025-01-01,2025-12-31,,,veteran` + "\r\n"
}

// sameBatchXLSX writes the batch with typed cells: numbers, booleans and real dates.
func sameBatchXLSX(t *testing.T, date1904 bool) []byte {
	t.Helper()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		toAny(sameBatchHeader),
		{"passed", "A1", string(workerSSN), "张三", "焊工, 中级", "job_skills_upgrade", "6-18-01-01", "焊工", 4, 40,
			day(2026, 3, 1), day(2026, 3, 20), true, 150000, "migrant_worker; youth"},
		{"failed", "A2", string(workerSSN), "李四", "电工", "pre_job", "6-31-01-03", nil, nil, 16,
			"2026-04-01", day(2026, 4, 2), false, nil, nil},
		{"passed", "A3", string(workerSSN), "王五", "创业", "entrepreneurship", "4-07-02-01", nil, nil, "2000",
			day(2025, 1, 1), time.Date(2025, 12, 31, 18, 30, 0, 0, time.UTC), nil, nil, "veteran"},
	}
	return buildXLSX(t, date1904, rows)
}

func buildXLSX(t testing.TB, date1904 bool, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	if date1904 {
		require.NoError(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}))
	}
	sheet := f.GetSheetName(0)
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			require.NoError(t, err)
			require.NoError(t, f.SetCellValue(sheet, cell, v))
		}
	}
	// A second sheet must be ignored.
	_, err := f.NewSheet("Notes")
	require.NoError(t, err)
	require.NoError(t, f.SetCellValue("Notes", "A1", "ignored"))
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func withSSN(s string) string { return strings.ReplaceAll(s, "%SSN%", string(workerSSN)) }

func TestBatch_JSONCSVAndXLSXGiveEqualInputs(t *testing.T) {
	fromJSON, err := training.ParseBatchJSON(strings.NewReader(withSSN(sameBatchJSON)), 1000)
	require.NoError(t, err)
	require.Len(t, fromJSON, 3)

	fromCSV, bad, err := training.ParseBatchCSV(strings.NewReader(withSSN(sameBatchCSV())), 1000)
	require.NoError(t, err)
	require.Empty(t, bad)
	assert.Equal(t, fromJSON, fromCSV)

	for _, date1904 := range []bool{false, true} {
		fromXLSX, bad, err := training.ParseBatchXLSX(bytes.NewReader(sameBatchXLSX(t, date1904)), 1000)
		require.NoError(t, err)
		require.Empty(t, bad)
		assert.Equal(t, fromJSON, fromXLSX, "1904 date system: %v", date1904)
	}

	records, err := training.ValidateBatch(fromJSON, today)
	require.NoError(t, err)
	assert.Len(t, records, 3)
}

func TestBatch_InputsRoundTripThroughJSON(t *testing.T) {
	in, err := training.ParseBatchJSON(strings.NewReader(withSSN(sameBatchJSON)), 1000)
	require.NoError(t, err)
	b, err := json.Marshal(map[string]any{"records": in})
	require.NoError(t, err)
	again, err := training.ParseBatchJSON(bytes.NewReader(b), 1000)
	require.NoError(t, err)
	assert.Equal(t, in, again)
}
