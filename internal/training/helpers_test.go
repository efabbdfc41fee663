package training_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/training"
)

// cst is China Standard Time without needing the tz database.
var cst = time.FixedZone("CST", 8*60*60)

// today is the fixed "today" of the tests: 2026-11-27 in CST.
var today = time.Date(2026, 11, 27, 15, 4, 5, 0, cst)

// workerSSN is a valid SSN of a worker born 1990-05-17.
var workerSSN = identity.MakeSSN("370402", time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), 123)

func ptr[T any](v T) *T { return &v }

// validInput is a complete, valid record; tests change one thing at a time.
func validInput() training.Input {
	return training.Input{
		ExternalID:         "INST-2026:0001",
		SSN:                string(workerSSN),
		Name:               "张三",
		CourseName:         "焊工（中级）",
		TrainingType:       training.TypeJobSkillsUpgrade,
		OccupationCode:     "6-18-01-01",
		OccupationName:     "焊工",
		Level:              ptr(4),
		Hours:              ptr(40),
		StartDate:          "2026-03-01",
		EndDate:            "2026-03-20",
		Result:             training.ResultPassed,
		Subsidized:         ptr(true),
		SubsidyAmountCents: ptr(int64(150000)),
		TraineeGroups:      []string{training.GroupYouth, training.GroupMigrantWorker},
	}
}

// fieldCodes maps field name to code of a list of field errors (one per field).
func fieldCodes(t *testing.T, fields []errs.FieldError) map[string]string {
	t.Helper()
	m := make(map[string]string, len(fields))
	for _, fe := range fields {
		_, dup := m[fe.Field]
		assert.False(t, dup, "field %s reported twice", fe.Field)
		m[fe.Field] = fe.Code
	}
	return m
}

// requireErr checks that err is an *errs.Error of the given kind and code and returns a copy.
func requireErr(t *testing.T, err error, kind errs.Kind, code string) errs.Error {
	t.Helper()
	require.Error(t, err)
	e := errs.As(err)
	require.NotNil(t, e, "want *errs.Error, got %T: %v", err, err)
	assert.Equal(t, kind, e.Kind, "kind of %v", err)
	assert.Equal(t, code, e.Code, "code of %v", err)
	assert.True(t, errors.Is(err, &errs.Error{Kind: kind, Code: code}))
	return *e
}

// assertNoLeak checks that no message mentions any of the secrets.
func assertNoLeak(t *testing.T, fields []errs.FieldError, secrets ...string) {
	t.Helper()
	for _, fe := range fields {
		for _, s := range secrets {
			if s = strings.TrimSpace(s); s != "" {
				assert.NotContains(t, fe.Message, s, "message of %s leaks the value", fe.Field)
			}
		}
	}
}
