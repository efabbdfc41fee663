package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPostTraining_CaseVariantKeyIsAnUnknownField posts "Hours": 2000 beside "hours": 160:
// encoding/json alone would store 2000; the body is refused as an unknown field and nothing is
// stored, while the same record with exact keys is created.
func TestPostTraining_CaseVariantKeyIsAnUnknownField(t *testing.T) {
	f := newTrainFixture(t, 1)
	p := f.people[0]
	rec := trainingRecord(p, "K-1")
	rec["hours"] = 160
	body, err := json.Marshal(rec)
	require.NoError(t, err)
	variant := strings.Replace(string(body), `"hours":160`, `"hours":160,"Hours":2000`, 1)
	require.Contains(t, variant, `"Hours":2000`)

	res := f.inst.Do("POST", trainingsPath, variant, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
	pr := problemOf(t, res)
	assert.Equal(t, "unknown_field", pr.Code)
	require.Len(t, pr.Errors, 1)
	assert.Equal(t, "Hours", pr.Errors[0].Field)
	assert.Equal(t, 0, f.count(t, "trainings"))

	res = f.inst.Do("POST", trainingsPath, `{"External_id":"K-2"}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
	assert.Equal(t, "unknown_field", problemOf(t, res).Code)

	res = f.inst.Do("POST", trainingsPath, string(body), "Content-Type", "application/json")
	require.Equal(t, http.StatusCreated, res.Status, "exact keys: %s", res.Body)
	assert.Equal(t, 160.0, res.Map(t)["hours"])
}

// TestPostTrainingBatch_CaseVariantKeyInARecordIsAnUnknownField does the same inside a JSON
// batch, in a record and in the envelope.
func TestPostTrainingBatch_CaseVariantKeyInARecordIsAnUnknownField(t *testing.T) {
	f := newTrainFixture(t, 2)
	one, err := json.Marshal(trainingRecord(f.people[0], "KB-1"))
	require.NoError(t, err)
	two, err := json.Marshal(trainingRecord(f.people[1], "KB-2"))
	require.NoError(t, err)
	bad := strings.Replace(string(two), `"hours":40`, `"hours":40,"HOURS":2000`, 1)

	res := f.inst.Do("POST", trainingsPath+"/batch", `{"records":[`+string(one)+`,`+bad+`]}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
	pr := problemOf(t, res)
	assert.Equal(t, "unknown_field", pr.Code)
	require.Len(t, pr.Errors, 1)
	require.NotNil(t, pr.Errors[0].Index)
	assert.Equal(t, 1, *pr.Errors[0].Index)
	assert.Equal(t, "HOURS", pr.Errors[0].Field)

	res = f.inst.Do("POST", trainingsPath+"/batch", `{"Records":[`+string(one)+`]}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
	assert.Equal(t, "unknown_field", problemOf(t, res).Code)
	assert.Equal(t, 0, f.count(t, "trainings"))
}

// TestPostTraining_InvalidUTF8IsRefusedNotReplaced posts the bytes ED A0 80 (an encoded
// surrogate) in course_name, alone and in a batch: 400 invalid_utf8, nothing stored as U+FFFD.
func TestPostTraining_InvalidUTF8IsRefusedNotReplaced(t *testing.T) {
	f := newTrainFixture(t, 1)
	body, err := json.Marshal(trainingRecord(f.people[0], "U-1"))
	require.NoError(t, err)
	bad := strings.Replace(string(body), "焊工（中级）培训", "焊工\xed\xa0\x80培训", 1)
	require.NotEqual(t, string(body), bad)

	res := f.inst.Do("POST", trainingsPath, bad, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
	assert.Equal(t, "invalid_utf8", problemOf(t, res).Code)

	res = f.inst.Do("POST", trainingsPath+"/batch", `{"records":[`+bad+`]}`, "Content-Type", "application/json")
	require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
	assert.Equal(t, "invalid_utf8", problemOf(t, res).Code)
	assert.Equal(t, 0, f.count(t, "trainings"))
}
