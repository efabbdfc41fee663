package certificate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// cst is China Standard Time without needing the tz database.
var cst = time.FixedZone("CST", 8*60*60)

// today is the fixed "today" of the tests: 2026-11-27 in CST.
var today = time.Date(2026, 11, 27, 15, 4, 5, 0, cst)

// holderSSN is a valid SSN of a holder born 1988-08-08.
var holderSSN = identity.MakeSSN("370402", time.Date(1988, 8, 8, 0, 0, 0, 0, time.UTC), 7)

func ptr[T any](v T) *T { return &v }

func day(y int, m time.Month, d int) certificate.Date { return certificate.Date{Y: y, M: m, D: d} }

func validInput() certificate.Input {
	return certificate.Input{
		No:             "ZZ-2026-000123",
		SSN:            string(holderSSN),
		Name:           "李四",
		Type:           certificate.TypeSkillLevel,
		OccupationCode: "6-18-01-01",
		OccupationName: "焊工",
		Level:          ptr(3),
		IssuedOn:       "2026-06-30",
		ValidUntil:     "2031-06-29",
	}
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
