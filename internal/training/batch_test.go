package training_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/training"
)

func batchOf(n int) []training.Input {
	inputs := make([]training.Input, n)
	for i := range inputs {
		inputs[i] = validInput()
		inputs[i].ExternalID = fmt.Sprintf("INST-%04d", i)
	}
	return inputs
}

func TestValidateBatch_AllValidReturnsRecordsInOrder(t *testing.T) {
	records, err := training.ValidateBatch(batchOf(3), today)
	require.NoError(t, err)
	require.Len(t, records, 3)
	for i, r := range records {
		assert.Equal(t, fmt.Sprintf("INST-%04d", i), r.ExternalID)
	}
}

func TestValidateBatch_OneBadRowRefusesTheWholeBatch(t *testing.T) {
	inputs := batchOf(4)
	inputs[2].Hours = ptr(0)
	records, err := training.ValidateBatch(inputs, today)
	assert.Nil(t, records)
	e := requireErr(t, err, errs.KindInvalid, "invalid_batch")
	require.Len(t, e.Fields, 1)
	assertRowField(t, e.Fields[0], 2, "hours", "invalid_hours")
}

func TestValidateBatch_ListsEveryBadRowAndField(t *testing.T) {
	inputs := batchOf(5)
	inputs[0].SSN = "110105194912310021"
	inputs[0].Result = ""
	inputs[3].EndDate = "2026-02-01"
	inputs[4].Name = ""
	_, err := training.ValidateBatch(inputs, today)
	e := requireErr(t, err, errs.KindInvalid, "invalid_batch")
	require.Len(t, e.Fields, 4)
	assertRowField(t, e.Fields[0], 0, "ssn", "invalid_ssn")
	assertRowField(t, e.Fields[1], 0, "result", "required")
	assertRowField(t, e.Fields[2], 3, "end_date", "invalid_date_range")
	assertRowField(t, e.Fields[3], 4, "name", "required")
	assert.Contains(t, e.Message, "3 of 5")
	assertNoLeak(t, e.Fields, inputs[0].SSN)
}

func TestValidateBatch_FlagsRepeatedExternalIDs(t *testing.T) {
	inputs := batchOf(4)
	inputs[2].ExternalID = " INST-0000"
	inputs[3].ExternalID = "INST-0000"
	_, err := training.ValidateBatch(inputs, today)
	e := requireErr(t, err, errs.KindInvalid, "invalid_batch")
	require.Len(t, e.Fields, 2)
	assertRowField(t, e.Fields[0], 2, "external_id", "duplicate_in_batch")
	assertRowField(t, e.Fields[1], 3, "external_id", "duplicate_in_batch")
	assert.Contains(t, e.Fields[0].Message, "index 0")
}

func TestValidateBatch_ExternalIDsAreCaseSensitive(t *testing.T) {
	inputs := batchOf(2)
	inputs[0].ExternalID, inputs[1].ExternalID = "abc", "ABC"
	_, err := training.ValidateBatch(inputs, today)
	assert.NoError(t, err)
}

func TestValidateBatch_MergesParseErrorsEvenOfOtherwiseValidRows(t *testing.T) {
	inputs := batchOf(3)
	inputs[1].Level = nil // the cell did not convert, so the optional level is absent
	_, err := training.ValidateBatch(inputs, today, errs.RowField(1, "level", "wrong_type", "must be a whole number"))
	e := requireErr(t, err, errs.KindInvalid, "invalid_batch")
	require.Len(t, e.Fields, 1)
	assertRowField(t, e.Fields[0], 1, "level", "wrong_type")
}

func TestValidateBatch_RefusesAnEmptyBatch(t *testing.T) {
	_, err := training.ValidateBatch(nil, today)
	requireErr(t, err, errs.KindInvalid, "empty_batch")
}

func BenchmarkValidateBatch1000(b *testing.B) {
	inputs := batchOf(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := training.ValidateBatch(inputs, today); err != nil {
			b.Fatal(err)
		}
	}
}
