package certificate_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
)

func TestValidate_ValidCertificateIsNormalised(t *testing.T) {
	in := validInput()
	in.No = " zz-2026-000123 "
	in.Name = " 李四\u3000"
	got, fields := in.Validate(today)
	require.Empty(t, fields)
	assert.Equal(t, certificate.Certificate{
		No:             "ZZ-2026-000123",
		SSN:            holderSSN,
		Name:           "李四",
		Type:           certificate.TypeSkillLevel,
		OccupationCode: "6-18-01-01",
		OccupationName: "焊工",
		Level:          ptr(3),
		IssuedOn:       day(2026, 6, 30),
		ValidUntil:     ptr(day(2031, 6, 29)),
		Status:         certificate.StatusValid,
	}, got)
}

func TestValidate_AcceptsOptionalAndBoundaryValues(t *testing.T) {
	tests := []struct {
		name   string
		change func(*certificate.Input)
	}{
		{"no expiry", func(in *certificate.Input) { in.ValidUntil = "" }},
		{"issued today", func(in *certificate.Input) { in.IssuedOn = "2026-11-27" }},
		{"valid one day", func(in *certificate.Input) { in.ValidUntil = "2026-07-01" }},
		{"already expired", func(in *certificate.Input) { in.IssuedOn, in.ValidUntil = "2010-01-01", "2015-01-01" }},
		{"six characters", func(in *certificate.Input) { in.No = "ABC123" }},
		{"32 characters", func(in *certificate.Input) { in.No = strings.Repeat("A1-", 10) + "ZZ" }},
		{"level 1 vocational qualification", func(in *certificate.Input) {
			in.Type, in.Level = certificate.TypeVocationalQualification, ptr(1)
		}},
		{"special ability without level", func(in *certificate.Input) { in.Type, in.Level = certificate.TypeSpecialAbility, nil }},
		{"training with level", func(in *certificate.Input) { in.Type, in.Level = certificate.TypeTraining, ptr(5) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.change(&in)
			_, fields := in.Validate(today)
			assert.Empty(t, fields)
		})
	}
}

func TestValidate_RefusesEachBadField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*certificate.Input)
		field  string
		code   string
	}{
		{"missing number", func(in *certificate.Input) { in.No = "" }, "certificate_no", "required"},
		{"five characters", func(in *certificate.Input) { in.No = "AB123" }, "certificate_no", "invalid_certificate_no"},
		{"33 characters", func(in *certificate.Input) { in.No = strings.Repeat("A", 33) }, "certificate_no", "invalid_certificate_no"},
		{"underscore", func(in *certificate.Input) { in.No = "AB_12345" }, "certificate_no", "invalid_certificate_no"},
		{"inner space", func(in *certificate.Input) { in.No = "AB 12345" }, "certificate_no", "invalid_certificate_no"},
		{"full-width letters", func(in *certificate.Input) { in.No = "ＡＢ123456" }, "certificate_no", "invalid_certificate_no"},
		{"only hyphens", func(in *certificate.Input) { in.No = "--------" }, "certificate_no", "invalid_certificate_no"},
		{"missing ssn", func(in *certificate.Input) { in.SSN = "" }, "ssn", "required"},
		{"bad ssn", func(in *certificate.Input) { in.SSN = "110105194912310021" }, "ssn", "invalid_ssn"},
		{"missing name", func(in *certificate.Input) { in.Name = "" }, "name", "required"},
		{"long name", func(in *certificate.Input) { in.Name = strings.Repeat("李", 51) }, "name", "invalid_name"},
		{"missing type", func(in *certificate.Input) { in.Type = "" }, "type", "required"},
		{"unknown type", func(in *certificate.Input) { in.Type = "diploma" }, "type", "invalid_certificate_type"},
		{"skill level without level", func(in *certificate.Input) { in.Level = nil }, "level", "required"},
		{"qualification without level", func(in *certificate.Input) {
			in.Type, in.Level = certificate.TypeVocationalQualification, nil
		}, "level", "required"},
		{"level 0", func(in *certificate.Input) { in.Level = ptr(0) }, "level", "invalid_level"},
		{"level 6 on a training certificate", func(in *certificate.Input) {
			in.Type, in.Level = certificate.TypeTraining, ptr(6)
		}, "level", "invalid_level"},
		{"missing occupation code", func(in *certificate.Input) { in.OccupationCode = "" }, "occupation_code", "required"},
		{"bad occupation code", func(in *certificate.Input) { in.OccupationCode = "9-18-01-01" }, "occupation_code", "invalid_occupation_code"},
		{"missing occupation name", func(in *certificate.Input) { in.OccupationName = " " }, "occupation_name", "required"},
		{"long occupation name", func(in *certificate.Input) { in.OccupationName = strings.Repeat("工", 101) }, "occupation_name", "invalid_occupation_name"},
		{"missing issue date", func(in *certificate.Input) { in.IssuedOn = "" }, "issued_on", "required"},
		{"unreal issue date", func(in *certificate.Input) { in.IssuedOn = "2026-06-31" }, "issued_on", "invalid_date"},
		{"issued tomorrow", func(in *certificate.Input) { in.IssuedOn, in.ValidUntil = "2026-11-28", "" }, "issued_on", "invalid_date_range"},
		{"issued before birth", func(in *certificate.Input) { in.IssuedOn = "1988-08-07" }, "issued_on", "invalid_date_range"},
		{"unreal expiry", func(in *certificate.Input) { in.ValidUntil = "2031-02-29" }, "valid_until", "invalid_date"},
		{"expiry on issue day", func(in *certificate.Input) { in.ValidUntil = "2026-06-30" }, "valid_until", "invalid_date_range"},
		{"expiry before issue", func(in *certificate.Input) { in.ValidUntil = "2026-01-01" }, "valid_until", "invalid_date_range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.change(&in)
			got, fields := in.Validate(today)
			assert.Equal(t, certificate.Certificate{}, got)
			require.Len(t, fields, 1, "%+v", fields)
			assert.Equal(t, tt.field, fields[0].Field)
			assert.Equal(t, tt.code, fields[0].Code)
			for _, secret := range []string{in.SSN, in.Name, in.No} {
				if strings.TrimSpace(secret) != "" {
					assert.NotContains(t, fields[0].Message, strings.TrimSpace(secret))
				}
			}
		})
	}
}

func TestValidate_ReportsEveryBadFieldAtOnce(t *testing.T) {
	in := certificate.Input{No: "x", SSN: "123", Type: "skill_level", IssuedOn: "2026-13-01", ValidUntil: "never"}
	_, fields := in.Validate(today)
	got := map[string]string{}
	for _, fe := range fields {
		got[fe.Field] = fe.Code
	}
	assert.Equal(t, map[string]string{
		"certificate_no":  "invalid_certificate_no",
		"ssn":             "invalid_ssn",
		"name":            "required",
		"occupation_code": "required",
		"occupation_name": "required",
		"level":           "required",
		"issued_on":       "invalid_date",
		"valid_until":     "invalid_date",
	}, got)
}

func TestParseNo_NormalisesForVerification(t *testing.T) {
	got, err := certificate.ParseNo("\tzz-2026-000123 ")
	require.NoError(t, err)
	assert.Equal(t, "ZZ-2026-000123", got)
	_, err = certificate.ParseNo("zz-2026-00012ſ") // long s must not upper-case to S
	requireErr(t, err, errs.KindInvalid, "invalid_certificate_no")
}
