package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"skillrecord/internal/apitest"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

type batchAnswer struct {
	Results []struct {
		Index  int    `json:"index"`
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"results"`
}

func postBatch(t *testing.T, c *apitest.Client, body any, headers ...string) *apitest.Response {
	t.Helper()
	return c.Do("POST", batchPath, body, headers...)
}

func batchOK(t *testing.T, res *apitest.Response) batchAnswer {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var a batchAnswer
	res.JSON(t, &a)
	return a
}

// variedRecords are records of the people that use every optional field in some way.
func variedRecords(people []apitest.Person) []map[string]any {
	out := make([]map[string]any, len(people))
	for i, p := range people {
		r := trainingRecord(p, fmt.Sprintf("V-%03d", i))
		switch i % 3 {
		case 1:
			r["result"], r["subsidized"], r["training_type"] = "failed", false, "entrepreneurship"
			delete(r, "subsidy_amount_cents")
			delete(r, "trainee_groups")
			delete(r, "level")
		case 2:
			delete(r, "occupation_name")
			delete(r, "subsidized")
			delete(r, "subsidy_amount_cents")
			r["hours"], r["trainee_groups"] = 2000, []string{"poverty_alleviated", "veteran", "migrant_worker"}
		}
		out[i] = r
	}
	return out
}

var tableColumns = []string{"external_id", "ssn", "name", "course_name", "training_type", "occupation_code",
	"occupation_name", "level", "hours", "start_date", "end_date", "result", "subsidized", "subsidy_amount_cents", "trainee_groups"}

// cell is a record's value as CSV text.
func cell(r map[string]any, col string) string {
	switch v := r[col].(type) {
	case nil:
		return ""
	case []string:
		return strings.Join(v, ";")
	default:
		return fmt.Sprint(v)
	}
}

func toCSV(records []map[string]any) string {
	var b strings.Builder
	b.WriteString(strings.Join(tableColumns, ",") + "\n")
	for _, r := range records {
		cells := make([]string, len(tableColumns))
		for j, c := range tableColumns {
			cells[j] = cell(r, c)
		}
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	return b.String()
}

// toXLSX writes the records on the first sheet, numbers and booleans as typed cells.
func toXLSX(t *testing.T, records []map[string]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sheet := f.GetSheetName(0)
	header := make([]any, len(tableColumns))
	for j, c := range tableColumns {
		header[j] = c
	}
	require.NoError(t, f.SetSheetRow(sheet, "A1", &header))
	for i, r := range records {
		row := make([]any, len(tableColumns))
		for j, c := range tableColumns {
			switch v := r[c].(type) {
			case int, bool:
				row[j] = v
			case nil:
				row[j] = nil
			default:
				row[j] = cell(r, c)
			}
		}
		require.NoError(t, f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &row))
	}
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	return buf.Bytes()
}

// storedRecords lists an institution's records as maps without their storage identity, by
// external id.
func storedRecords(t *testing.T, c *apitest.Client) []map[string]any {
	t.Helper()
	res := c.Do("GET", trainingsPath+"?limit=100", nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var pg struct {
		Items []map[string]any `json:"items"`
	}
	res.JSON(t, &pg)
	for _, it := range pg.Items {
		delete(it, "id")
		delete(it, "institution_id")
		delete(it, "created_at")
	}
	sort.Slice(pg.Items, func(i, j int) bool { return pg.Items[i]["external_id"].(string) < pg.Items[j]["external_id"].(string) })
	return pg.Items
}

func statuses(a batchAnswer) []string {
	out := make([]string, len(a.Results))
	for i, r := range a.Results {
		out[i] = fmt.Sprintf("%d:%s", r.Index, r.Status)
	}
	return out
}

func TestBatch_OneBadRowWritesNothing(t *testing.T) {
	f := newTrainFixture(t, 4)
	records := variedRecords(f.people[:3])
	records[1]["name"] = "欧阳修"                                                  // name_mismatch
	records = append(records, trainingRecord(apitest.NewPerson(), "V-UNKNOWN")) // unknown_cardholder
	records[2]["hours"] = 0                                                     // a rule
	trainings, entries := f.count(t, "trainings"), f.count(t, "credit_entries")

	res := postBatch(t, f.inst, map[string]any{"records": records})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	pr := problemOf(t, res)
	assert.Equal(t, "invalid_batch", pr.Code)
	var got []string
	for _, e := range pr.Errors {
		require.NotNil(t, e.Index)
		got = append(got, fmt.Sprintf("%d %s %s", *e.Index, e.Field, e.Code))
	}
	assert.Equal(t, []string{"1 name name_mismatch", "2 hours invalid_hours", "3 ssn unknown_cardholder"}, got)
	assert.NotContains(t, string(res.Body), "欧阳修")
	assert.Equal(t, trainings, f.count(t, "trainings"), "nothing written")
	assert.Equal(t, entries, f.count(t, "credit_entries"), "no credits posted")

	// A conflicting row is a bad row too.
	require.Equal(t, http.StatusCreated, f.inst.Do("POST", trainingsPath, trainingRecord(f.people[3], "TAKEN")).Status)
	good := variedRecords(f.people[:3])
	clash := trainingRecord(f.people[0], "TAKEN")
	res = postBatch(t, f.inst, map[string]any{"records": append(good, clash)})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	pr = problemOf(t, res)
	require.Len(t, pr.Errors, 1)
	assert.Equal(t, 3, *pr.Errors[0].Index)
	assert.Equal(t, "duplicate_conflict", pr.Errors[0].Code)
	assert.Equal(t, 1, f.count(t, "trainings"))
	assert.Equal(t, 1, f.count(t, "credit_entries"))
}

func TestBatch_RetriedBatchCreatesNothingNew(t *testing.T) {
	f := newTrainFixture(t, 6)
	body := map[string]any{"records": variedRecords(f.people)}
	first := batchOK(t, postBatch(t, f.inst, body))
	require.Len(t, first.Results, 6)
	for i, r := range first.Results {
		assert.Equal(t, i, r.Index)
		assert.Equal(t, "created", r.Status)
	}
	entries := f.count(t, "credit_entries")
	balances := make([]any, len(f.people))
	for i, p := range f.people {
		balances[i] = f.balance(t, p)
	}

	again := batchOK(t, postBatch(t, f.inst, body))
	for i, r := range again.Results {
		assert.Equal(t, "unchanged", r.Status)
		assert.Equal(t, first.Results[i].ID, r.ID)
	}
	assert.Equal(t, 6, f.count(t, "trainings"))
	assert.Equal(t, entries, f.count(t, "credit_entries"), "the ledger is unchanged")
	for i, p := range f.people {
		assert.Equal(t, balances[i], f.balance(t, p))
	}

	// Half old, half new: only the new ones are created.
	more := append(variedRecords(f.people)[:3], trainingRecord(f.people[0], "NEW-1"))
	mixed := batchOK(t, postBatch(t, f.inst, map[string]any{"records": more}))
	assert.Equal(t, []string{"0:unchanged", "1:unchanged", "2:unchanged", "3:created"}, statuses(mixed))
}

func TestBatch_CSVAndXLSXEqualTheJSONBatch(t *testing.T) {
	f := newTrainFixture(t, 6)
	records := variedRecords(f.people)
	jsonAnswer := batchOK(t, postBatch(t, f.inst, map[string]any{"records": records}))
	want := storedRecords(t, f.inst)
	require.Len(t, want, 6)

	// The same batch as CSV and as XLSX, to the same institution: every row is the stored
	// record, unchanged.
	for name, res := range map[string]*apitest.Response{
		"csv":  postBatch(t, f.inst, toCSV(records), "Content-Type", "text/csv; charset=utf-8"),
		"xlsx": postBatch(t, f.inst, toXLSX(t, records), "Content-Type", xlsxType),
	} {
		a := batchOK(t, res)
		require.Len(t, a.Results, 6, name)
		for i, r := range a.Results {
			assert.Equal(t, "unchanged", r.Status, "%s row %d", name, i)
			assert.Equal(t, jsonAnswer.Results[i].ID, r.ID, name)
		}
	}

	// And to institutions of their own: the same results and the same stored records.
	_, csvInst := f.institution(t)
	_, xlsxInst := f.institution(t)
	csvAnswer := batchOK(t, postBatch(t, csvInst, toCSV(records), "Content-Type", "text/csv"))
	xlsxAnswer := batchOK(t, postBatch(t, xlsxInst, toXLSX(t, records), "Content-Type", xlsxType))
	assert.Equal(t, statuses(jsonAnswer), statuses(csvAnswer))
	assert.Equal(t, statuses(jsonAnswer), statuses(xlsxAnswer))
	assert.Equal(t, want, storedRecords(t, csvInst))
	assert.Equal(t, want, storedRecords(t, xlsxInst))
}

func TestBatch_CellsOfTheWrongTypeAreListedWithTheOtherBadRows(t *testing.T) {
	f := newTrainFixture(t, 2)
	records := variedRecords(f.people)
	records[0]["hours"] = "forty"
	records[1]["name"] = "欧阳修"
	res := postBatch(t, f.inst, toCSV(records), "Content-Type", "text/csv")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%s", res.Body)
	var got []string
	for _, e := range problemOf(t, res).Errors {
		got = append(got, fmt.Sprintf("%d %s %s", *e.Index, e.Field, e.Code))
	}
	assert.Equal(t, []string{"0 hours wrong_type", "1 name name_mismatch"}, got)
	assert.Equal(t, 0, f.count(t, "trainings"))
}

func TestBatch_LimitsAndMediaTypes(t *testing.T) {
	f := newTrainFixture(t, 1)
	rec := trainingRecord(f.people[0], "X")
	records := make([]map[string]any, 1001)
	for i := range records {
		r := map[string]any{}
		for k, v := range rec {
			r[k] = v
		}
		r["external_id"] = fmt.Sprintf("X-%d", i)
		records[i] = r
	}
	res := postBatch(t, f.inst, map[string]any{"records": records})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "batch_too_large", problemOf(t, res).Code)
	res = postBatch(t, f.inst, toCSV(records), "Content-Type", "text/csv")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "batch_too_large", problemOf(t, res).Code)
	assert.Equal(t, 0, f.count(t, "trainings"))

	res = postBatch(t, f.inst, map[string]any{"records": []any{}})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, "empty_batch", problemOf(t, res).Code)

	huge := bytes.Repeat([]byte("x"), 10<<20+1)
	res = postBatch(t, f.inst, huge, "Content-Type", "text/csv")
	require.Equal(t, http.StatusRequestEntityTooLarge, res.Status)

	res = postBatch(t, f.inst, "<records/>", "Content-Type", "application/xml")
	require.Equal(t, http.StatusUnsupportedMediaType, res.Status)
	res = postBatch(t, f.inst, toCSV(records[:1]), "Content-Type", "text/csv; charset=iso-8859-1")
	require.Equal(t, http.StatusUnsupportedMediaType, res.Status)

	res = postBatch(t, f.inst, "not a workbook", "Content-Type", xlsxType)
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "malformed_xlsx", problemOf(t, res).Code)

	body, err := json.Marshal(map[string]any{"records": records[:1], "extra": 1})
	require.NoError(t, err)
	res = postBatch(t, f.inst, body, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "unknown_field", problemOf(t, res).Code)
}
