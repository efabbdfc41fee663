package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inspectionBody struct {
	ID                    string      `json:"id"`
	Seed                  string      `json:"seed"`
	Institutions          int         `json:"institutions"`
	RecordsPerInstitution int         `json:"records_per_institution"`
	WindowFrom            string      `json:"window_from"`
	WindowTo              string      `json:"window_to"`
	InstitutionCandidates int         `json:"institution_candidates"`
	Sample                []drawnBody `json:"sample"`
	CreatedBy             string      `json:"created_by"`
	CreatedAt             string      `json:"created_at"`
}

type drawnBody struct {
	InstitutionID    string   `json:"institution_id"`
	Name             string   `json:"name"`
	RecordCandidates int      `json:"record_candidates"`
	RecordIDs        []string `json:"record_ids"`
}

// inspectionWorld adds three institutions with five records each in the last twelve months
// (one of them voided) to a repWorld, whose own records all ended in 2025 or before.
func inspectionWorld(t *testing.T) (*repWorld, map[string]bool) {
	t.Helper()
	w := newRepWorld(t)
	voided := map[string]bool{}
	for i := range 3 {
		id := w.createOrg(t, "training_institution", nil)
		inst := w.client(t, id)
		var recs []repRecord
		for j := range 5 {
			end := time.Now().In(cst).AddDate(0, 0, -10*(j+1)).Format(time.DateOnly)
			recs = append(recs, repRecord{fmt.Sprintf("I%d-%d", i, j), []string{"A", "B", "C", "D"}[j%4], "employment_skills", end, true, nil, false, 0})
		}
		ids := w.post(t, inst, recs...)
		first := ids[fmt.Sprintf("I%d-0", i)]
		w.void(t, inst, first)
		voided[first] = true
		// A record ending thirteen months ago is outside the window.
		w.post(t, inst, repRecord{fmt.Sprintf("OLD-%d", i), "A", "pre_job", time.Now().In(cst).AddDate(0, -13, 0).Format(time.DateOnly), false, nil, false, 0})
	}
	return w, voided
}

func (w *repWorld) draw(t *testing.T, body map[string]any) inspectionBody {
	t.Helper()
	res := w.app.As(w.admin).Do("POST", "/api/v1/admin/inspections", body)
	require.Equal(t, http.StatusCreated, res.Status, string(res.Body))
	var out inspectionBody
	res.JSON(t, &out)
	assert.Equal(t, "/api/v1/admin/inspections/"+out.ID, res.Header.Get("Location"))
	return out
}

func TestInspections_SameSeedAndDataDrawTheSameSample(t *testing.T) {
	w, _ := inspectionWorld(t)
	first := w.draw(t, map[string]any{"institutions": 2, "records_per_institution": 3, "seed": 42})
	assert.Equal(t, "42", first.Seed)
	assert.Equal(t, 5, first.InstitutionCandidates, "the five active training institutions")
	assert.Equal(t, repToday(), first.WindowTo)
	assert.Equal(t, time.Now().In(cst).AddDate(-1, 0, 1).Format(time.DateOnly), first.WindowFrom)
	assert.NotEmpty(t, first.CreatedBy)
	require.Len(t, first.Sample, 2)
	assert.True(t, slices.IsSortedFunc(first.Sample, func(a, b drawnBody) int { return strings.Compare(a.InstitutionID, b.InstitutionID) }))
	for _, d := range first.Sample {
		assert.Len(t, d.RecordIDs, min(3, d.RecordCandidates))
		assert.True(t, slices.IsSorted(d.RecordIDs))
	}

	// The integer 42 and the string "42" are the same seed: same sample, new id.
	again := w.draw(t, map[string]any{"institutions": 2, "records_per_institution": 3, "seed": "42"})
	assert.NotEqual(t, first.ID, again.ID)
	assert.Equal(t, first.Sample, again.Sample)

	// The stored sample reads back as it was drawn.
	res := w.app.As(w.admin).Do("GET", "/api/v1/admin/inspections/"+first.ID, nil)
	require.Equal(t, http.StatusOK, res.Status)
	var stored inspectionBody
	res.JSON(t, &stored)
	assert.Equal(t, first, stored)
}

func TestInspections_TakesAllWhenFewerAndNeverVoidOrOldRecords(t *testing.T) {
	w, voided := inspectionWorld(t)
	all := w.draw(t, map[string]any{"institutions": 100, "records_per_institution": 100})
	assert.Regexp(t, `^[0-9]+$`, all.Seed, "a generated seed is an integer")
	require.Len(t, all.Sample, 5)
	total := 0
	for _, d := range all.Sample {
		assert.Len(t, d.RecordIDs, d.RecordCandidates)
		for _, id := range d.RecordIDs {
			assert.False(t, voided[id], "a void record is not a candidate")
		}
		total += len(d.RecordIDs)
	}
	assert.Equal(t, 3*4, total, "three institutions with four live records in the window; the repWorld ones have none")
}

func TestInspections_InvalidRequestsAndUnknownIDs(t *testing.T) {
	w := newRepWorld(t)
	admin := w.app.As(w.admin)
	for _, tc := range []struct {
		body map[string]any
		code string
	}{
		{map[string]any{"institutions": 0, "records_per_institution": 5}, "invalid_institutions"},
		{map[string]any{"institutions": 101, "records_per_institution": 5}, "invalid_institutions"},
		{map[string]any{"institutions": 5, "records_per_institution": 0}, "invalid_records_per_institution"},
		{map[string]any{"institutions": 5, "records_per_institution": 101}, "invalid_records_per_institution"},
		{map[string]any{"records_per_institution": 5}, "required"},
		{map[string]any{"institutions": 5, "records_per_institution": 5, "seed": 1.5}, "invalid_seed"},
		{map[string]any{"institutions": 5, "records_per_institution": 5, "seed": true}, "invalid_seed"},
		{map[string]any{"institutions": 5, "records_per_institution": 5, "seed": "has space"}, "invalid_seed"},
		{map[string]any{"institutions": 5, "records_per_institution": 5, "seed": ""}, "invalid_seed"},
	} {
		res := admin.Do("POST", "/api/v1/admin/inspections", tc.body)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Status, tc.body)
		assert.Equal(t, tc.code, res.Map(t)["code"], tc.body)
	}
	res := admin.Do("POST", "/api/v1/admin/inspections", map[string]any{"institutions": 1, "records_per_institution": 1, "extra": 1})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	for _, id := range []string{"0190a1b2-0000-7000-8000-0000000000ff", "not-an-id"} {
		res = admin.Do("GET", "/api/v1/admin/inspections/"+id, nil)
		assert.Equal(t, http.StatusNotFound, res.Status, id)
	}
}
