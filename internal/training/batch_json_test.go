package training_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/training"
)

func TestParseBatchJSON_ReadsEveryRecordInOrder(t *testing.T) {
	body := `{"records":[
		{"external_id":"A1","ssn":"` + string(workerSSN) + `","name":"张三","course_name":"焊工","training_type":"pre_job",
		 "occupation_code":"6-18-01-01","level":4,"hours":40,"start_date":"2026-03-01","end_date":"2026-03-20",
		 "result":"passed","subsidized":true,"subsidy_amount_cents":150000,"trainee_groups":["youth"]},
		{"external_id":"A2","hours":8}
	]}`
	got, err := training.ParseBatchJSON(strings.NewReader(body), 1000)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "A1", got[0].ExternalID)
	assert.Equal(t, ptr(4), got[0].Level)
	assert.Equal(t, ptr(true), got[0].Subsidized)
	assert.Equal(t, []string{"youth"}, got[0].TraineeGroups)
	assert.Equal(t, training.Input{ExternalID: "A2", Hours: ptr(8)}, got[1])
}

func TestParseBatchJSON_RefusesUnreadableBodies(t *testing.T) {
	tests := []struct {
		name, body string
		kind       errs.Kind
		code       string
	}{
		{"empty body", ``, errs.KindMalformed, "malformed_json"},
		{"not json", `records: []`, errs.KindMalformed, "malformed_json"},
		{"array instead of object", `[{"external_id":"A1"}]`, errs.KindMalformed, "malformed_json"},
		{"records not an array", `{"records":{"external_id":"A1"}}`, errs.KindMalformed, "malformed_json"},
		{"trailing value", `{"records":[{}]} {}`, errs.KindMalformed, "malformed_json"},
		{"unknown envelope field", `{"records":[{}],"dry_run":true}`, errs.KindMalformed, "unknown_field"},
		{"no records field", `{}`, errs.KindInvalid, "empty_batch"},
		{"null records", `{"records":null}`, errs.KindInvalid, "empty_batch"},
		{"no records", `{"records":[]}`, errs.KindInvalid, "empty_batch"},
		{"too many records", `{"records":[{},{},{},{}]}`, errs.KindInvalid, "batch_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := training.ParseBatchJSON(strings.NewReader(tt.body), 3)
			requireErr(t, err, tt.kind, tt.code)
			assert.Nil(t, got)
		})
	}
}

func TestParseBatchJSON_NamesEveryRecordWithUnknownFields(t *testing.T) {
	body := `{"records":[{"external_id":"A1"},{"external_id":"A2","grade":"A"},{"hours":"forty"},{"colour":1}]}`
	_, err := training.ParseBatchJSON(strings.NewReader(body), 10)
	e := requireErr(t, err, errs.KindMalformed, "unknown_field")
	require.Len(t, e.Fields, 3)
	assertRowField(t, e.Fields[0], 1, "grade", "unknown_field")
	assertRowField(t, e.Fields[1], 2, "hours", "wrong_type")
	assertRowField(t, e.Fields[2], 3, "colour", "unknown_field")
}

func TestParseBatchJSON_NamesEveryRecordWithWrongTypes(t *testing.T) {
	body := `{"records":[{"hours":40.5},{"subsidized":"yes"},{"trainee_groups":"youth"},7,{"level":3}]}`
	_, err := training.ParseBatchJSON(strings.NewReader(body), 10)
	e := requireErr(t, err, errs.KindMalformed, "malformed_json")
	require.Len(t, e.Fields, 4)
	assertRowField(t, e.Fields[0], 0, "hours", "wrong_type")
	assertRowField(t, e.Fields[1], 1, "subsidized", "wrong_type")
	assertRowField(t, e.Fields[2], 2, "trainee_groups", "wrong_type")
	assertRowField(t, e.Fields[3], 3, "records", "wrong_type")
}

func TestParseBatchJSON_AcceptsExactlyMax(t *testing.T) {
	recs := strings.TrimSuffix(strings.Repeat(`{},`, 5), ",")
	got, err := training.ParseBatchJSON(strings.NewReader(fmt.Sprintf(`{"records":[%s]}`, recs)), 5)
	require.NoError(t, err)
	assert.Len(t, got, 5)
	got, err = training.ParseBatchJSON(strings.NewReader(fmt.Sprintf(`{"records":[%s]}`, recs)), 0)
	require.NoError(t, err, "max 0 means no limit")
	assert.Len(t, got, 5)
}

func assertRowField(t *testing.T, fe errs.FieldError, index int, field, code string) {
	t.Helper()
	require.NotNil(t, fe.Index, "%+v", fe)
	assert.Equal(t, index, *fe.Index, "%+v", fe)
	assert.Equal(t, field, fe.Field, "%+v", fe)
	assert.Equal(t, code, fe.Code, "%+v", fe)
	assert.NotEmpty(t, fe.Message)
}
