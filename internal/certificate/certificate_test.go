package certificate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
)

func TestStatusAt(t *testing.T) {
	revokedAt := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		cert certificate.Certificate
		day  certificate.Date
		want string
	}{
		{"no expiry", certificate.Certificate{Status: certificate.StatusValid}, day(2099, 1, 1), "valid"},
		{"before expiry", certificate.Certificate{Status: "valid", ValidUntil: ptr(day(2026, 12, 31))}, day(2026, 12, 30), "valid"},
		{"on the last valid day", certificate.Certificate{Status: "valid", ValidUntil: ptr(day(2026, 12, 31))}, day(2026, 12, 31), "valid"},
		{"the day after", certificate.Certificate{Status: "valid", ValidUntil: ptr(day(2026, 12, 31))}, day(2027, 1, 1), "expired"},
		{"revoked", certificate.Certificate{Status: "revoked", RevokedAt: &revokedAt}, day(2026, 7, 2), "revoked"},
		{"revoked wins over expired", certificate.Certificate{Status: "revoked", ValidUntil: ptr(day(2026, 1, 1))}, day(2027, 1, 1), "revoked"},
		{"a revocation time alone means revoked", certificate.Certificate{Status: "valid", RevokedAt: &revokedAt}, day(2026, 7, 2), "revoked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, certificate.StatusAt(tt.cert, tt.day))
		})
	}
}

func TestCountsByLevelAndIsHighSkill(t *testing.T) {
	tests := []struct {
		certType  string
		counts    bool
		highLevel []int
	}{
		{certificate.TypeSkillLevel, true, []int{1, 2, 3}},
		{certificate.TypeVocationalQualification, true, []int{1, 2, 3}},
		{certificate.TypeSpecialAbility, false, nil},
		{certificate.TypeTraining, false, nil},
		{"diploma", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.certType, func(t *testing.T) {
			assert.Equal(t, tt.counts, certificate.CountsByLevel(tt.certType))
			var high []int
			for level := -1; level <= 7; level++ {
				if certificate.IsHighSkill(tt.certType, level) {
					high = append(high, level)
				}
			}
			assert.Equal(t, tt.highLevel, high)
		})
	}
	assert.Equal(t, []string{"skill_level", "vocational_qualification", "special_ability", "training"}, certificate.Types())
}

func TestMayIssue(t *testing.T) {
	tests := []struct {
		role, certType string
		kind           errs.Kind // KindInternal (zero) means allowed
		code           string
	}{
		{"evaluation_org", "skill_level", 0, ""},
		{"evaluation_org", "vocational_qualification", 0, ""},
		{"evaluation_org", "special_ability", 0, ""},
		{"evaluation_org", "training", 0, ""},
		{"training_institution", "training", 0, ""},
		{"training_institution", "skill_level", errs.KindForbidden, "certificate_type_not_allowed"},
		{"training_institution", "special_ability", errs.KindForbidden, "certificate_type_not_allowed"},
		{"employer", "training", errs.KindForbidden, "forbidden"},
		{"college", "skill_level", errs.KindForbidden, "forbidden"},
		{"worker", "training", errs.KindForbidden, "forbidden"},
		{"admin", "skill_level", errs.KindForbidden, "forbidden"},
		{"evaluation_org", "diploma", errs.KindInvalid, "invalid_certificate_type"},
	}
	for _, tt := range tests {
		t.Run(tt.role+"/"+tt.certType, func(t *testing.T) {
			err := certificate.MayIssue(tt.role, tt.certType)
			if tt.code == "" {
				assert.NoError(t, err)
				return
			}
			requireErr(t, err, tt.kind, tt.code)
		})
	}
}

func TestRevoke(t *testing.T) {
	cert, fields := validInput().Validate(today)
	require.Empty(t, fields)
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, cst)

	revoked, err := cert.Revoke("  证书信息有误 ", at)
	require.NoError(t, err)
	assert.Equal(t, certificate.StatusRevoked, revoked.Status)
	assert.Equal(t, "证书信息有误", revoked.RevokeReason)
	require.NotNil(t, revoked.RevokedAt)
	assert.True(t, revoked.RevokedAt.Equal(at))
	assert.Equal(t, time.UTC, revoked.RevokedAt.Location())
	assert.Equal(t, certificate.StatusValid, cert.Status, "the original is unchanged")

	_, err = revoked.Revoke("again", at)
	requireErr(t, err, errs.KindConflict, "already_revoked")
	_, err = cert.Revoke(" ", at)
	requireErr(t, err, errs.KindInvalid, "required")
	_, err = cert.Revoke(strings.Repeat("x", 501), at)
	requireErr(t, err, errs.KindInvalid, "invalid_reason")

	expired := cert
	expired.ValidUntil = ptr(day(2026, 7, 1))
	_, err = expired.Revoke("fraud", at)
	assert.NoError(t, err, "an expired certificate can still be revoked")
}
