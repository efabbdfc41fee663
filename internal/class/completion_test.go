package class_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/class"
)

func TestAttendanceRate_IsAFractionRoundedToFourDecimals(t *testing.T) {
	assert.Equal(t, 0.0, class.AttendanceRate(0, 0))
	assert.Equal(t, 1.0, class.AttendanceRate(3, 3))
	assert.Equal(t, 0.6667, class.AttendanceRate(2, 3))
	assert.Equal(t, 1.0, class.AttendanceRate(4, 3), "never above 1")
}

func TestItemSubsidy_PaysOnlyPassedAttendingCertifiedTrainees(t *testing.T) {
	it := class.Item{AmountCents: 50000, MinAttendance: 0.8, CertificateRequired: true}
	assert.EqualValues(t, 50000, *it.Subsidy(true, 0.8, "CERT-0001"))
	assert.Nil(t, it.Subsidy(false, 1, "CERT-0001"), "failed")
	assert.Nil(t, it.Subsidy(true, 0.7999, "CERT-0001"), "attended too little")
	assert.Nil(t, it.Subsidy(true, 1, ""), "no certificate")
	it.CertificateRequired = false
	assert.NotNil(t, it.Subsidy(true, 1, ""))
}

func TestParseTrainees_ReportsEveryBadLineByIndex(t *testing.T) {
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	_, bad := class.ParseTrainees(class.CompletionInput{Trainees: []class.TraineeInput{
		{SSN: "11010519491231002X", Result: "passed"},
		{SSN: "11010519491231002x", Result: "passed"},
		{SSN: "123", Result: "great", CertificateNo: "x"},
	}}, today)
	codes := map[string]int{}
	for _, fe := range bad {
		codes[fe.Code] = *fe.Index
	}
	assert.Equal(t, map[string]int{"duplicate_trainee": 1, "invalid_ssn": 2, "invalid_result": 2, "invalid_certificate_no": 2}, codes)
	_, bad = class.ParseTrainees(class.CompletionInput{}, today)
	assert.Equal(t, "required", bad[0].Code)
}
