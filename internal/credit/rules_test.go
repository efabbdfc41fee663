package credit_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/configs"
	"skillrecord/internal/credit"
)

func TestDefaultRules_MatchTheDesign(t *testing.T) {
	r := credit.DefaultRules()
	assert.Equal(t, "2026-1", r.Version)
	parsed, err := credit.ParseRules(configs.CreditRulesYAML)
	require.NoError(t, err)
	assert.Equal(t, r, parsed)
	assert.NotSame(t, r, credit.DefaultRules(), "each call returns a fresh value")
}

func TestTrainingCredits(t *testing.T) {
	r := credit.DefaultRules()
	tests := []struct {
		name   string
		hours  int
		passed bool
		want   credit.Tenths
	}{
		{"40 hours earn 2.5", 40, true, 25},
		{"16 hours earn 1", 16, true, 10},
		{"17 hours round down to 1.0", 17, true, 10},
		{"15 hours round down to 0.9", 15, true, 9},
		{"1 hour rounds down to 0", 1, true, 0},
		{"2 hours earn 0.1", 2, true, 1},
		{"159 hours earn 9.9", 159, true, 99},
		{"160 hours reach the cap of 10", 160, true, 100},
		{"2000 hours are capped at 10", 2000, true, 100},
		{"failed earns nothing", 40, false, 0},
		{"failed 2000 hours earn nothing", 2000, false, 0},
		{"no hours earn nothing", 0, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, r.TrainingCredits(tt.hours, tt.passed))
		})
	}
}

func TestCertificateCredits(t *testing.T) {
	r := credit.DefaultRules()
	tests := []struct {
		certType string
		level    int
		want     credit.Tenths
	}{
		{"skill_level", 5, 50}, {"skill_level", 4, 100}, {"skill_level", 3, 200},
		{"skill_level", 2, 300}, {"skill_level", 1, 400},
		{"vocational_qualification", 5, 50}, {"vocational_qualification", 1, 400},
		{"skill_level", 0, 0}, {"skill_level", 6, 0},
		{"special_ability", 0, 30}, {"special_ability", 3, 30},
		{"training", 0, 0}, {"training", 1, 0},
		{"diploma", 1, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, r.CertificateCredits(tt.certType, tt.level), "%s L%d", tt.certType, tt.level)
	}
}

// ledger replays the design's example: after every issue or revocation in an occupation the
// ledger posts target − what it already posted for that occupation.
func TestOccupationTarget_DesignExample(t *testing.T) {
	r := credit.DefaultRules()
	var posted credit.Tenths
	post := func(certs ...credit.HeldCertificate) credit.Tenths {
		delta := r.OccupationTarget(certs) - posted
		posted += delta
		return delta
	}
	l5 := credit.HeldCertificate{Type: "skill_level", Level: 5, Valid: true}
	l3 := credit.HeldCertificate{Type: "skill_level", Level: 3, Valid: true}
	revoked := func(c credit.HeldCertificate) credit.HeldCertificate { c.Valid = false; return c }

	assert.Equal(t, credit.Tenths(50), post(l5), "L5 issued: +5")
	assert.Equal(t, credit.Tenths(150), post(l5, l3), "L3 issued: +15")
	assert.Equal(t, credit.Tenths(-150), post(l5, revoked(l3)), "that L3 revoked: −15")

	posted = 0
	post(l5)
	post(l5, l3)
	assert.Equal(t, credit.Tenths(0), post(revoked(l5), l3), "the L5 revoked while the L3 stands: no change")
	assert.Equal(t, credit.Tenths(200), posted)
}

func TestOccupationTarget(t *testing.T) {
	r := credit.DefaultRules()
	tests := []struct {
		name  string
		certs []credit.HeldCertificate
		want  credit.Tenths
	}{
		{"none", nil, 0},
		{"only revoked", []credit.HeldCertificate{{Type: "skill_level", Level: 1}}, 0},
		{"highest valid counts", []credit.HeldCertificate{
			{Type: "skill_level", Level: 4, Valid: true}, {Type: "skill_level", Level: 1},
			{Type: "vocational_qualification", Level: 2, Valid: true},
		}, 300},
		{"types without levels are ignored", []credit.HeldCertificate{
			{Type: "special_ability", Valid: true}, {Type: "training", Valid: true},
		}, 0},
		{"a bad level is worth nothing", []credit.HeldCertificate{{Type: "skill_level", Level: 9, Valid: true}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, r.OccupationTarget(tt.certs))
		})
	}
}

func TestParseRules_CustomRules(t *testing.T) {
	yaml := strings.NewReplacer("hours_per_credit: 16", "hours_per_credit: 8",
		"max_per_record: 10", "max_per_record: 7.5", `"2026-1"`, `"2027-1"`).Replace(string(configs.CreditRulesYAML))
	r, err := credit.ParseRules([]byte(yaml))
	require.NoError(t, err)
	assert.Equal(t, "2027-1", r.Version)
	assert.Equal(t, credit.Tenths(50), r.TrainingCredits(40, true))
	assert.Equal(t, credit.Tenths(75), r.TrainingCredits(100, true))
}

func TestParseRules_RefusesBadFilesWithClearErrors(t *testing.T) {
	base := string(configs.CreditRulesYAML)
	tests := []struct {
		name, from, to, want string
	}{
		{"no version", `version: "2026-1"`, ``, "version must be"},
		{"version with space", `version: "2026-1"`, `version: "2026 1"`, "version must be"},
		{"zero hours per credit", "hours_per_credit: 16", "hours_per_credit: 0", "training.passed.hours_per_credit must be"},
		{"fractional hours per credit", "hours_per_credit: 16", "hours_per_credit: 16.5", "line 10: want a whole number"},
		{"rounding up", "rounding: down", "rounding: up", `training.passed.rounding must be "down"`},
		{"finer than a tenth", "max_per_record: 10", "max_per_record: 10.25", "line 12: credits must be a number with at most one decimal"},
		{"negative failed", "failed: 0", "failed: -1", "training.failed must be from 0"},
		{"amount as text", "failed: 0", "failed: zero", "want a number"},
		{"unknown key", "failed: 0", "failed: 0\n  bonus: 1", "bonus"},
		{"missing level", "{5: 5, 4: 10, 3: 20, 2: 30, 1: 40}\n  vocational", "{5: 5, 4: 10, 3: 20, 2: 30}\n  vocational",
			"certificates.skill_level.by_level.1 is missing"},
		{"level 6", "{5: 5, 4: 10, 3: 20, 2: 30, 1: 40}\n  vocational", "{6: 1, 5: 5, 4: 10, 3: 20, 2: 30, 1: 40}\n  vocational",
			"certificates.skill_level.by_level must give exactly the levels 1 to 5"},
		{"higher level earns less", "{5: 5, 4: 10, 3: 20, 2: 30, 1: 40}\n  vocational", "{5: 5, 4: 10, 3: 20, 2: 30, 1: 25}\n  vocational",
			"certificates.skill_level.by_level.1 must not be less than level 2"},
		{"fixed on a by-level type", "  skill_level:\n", "  skill_level:\n    fixed: 3\n", "certificates.skill_level.fixed is not allowed"},
		{"by_level on a fixed type", "fixed: 3", "fixed: 3\n    by_level: {1: 1}", "certificates.special_ability.by_level is not allowed"},
		{"missing type", "  training:\n    fixed: 0\n", "", "certificates.training is missing"},
		{"unknown type", "  training:\n    fixed: 0\n", "  training:\n    fixed: 0\n  diploma:\n    fixed: 1\n", "certificates.diploma is not a certificate type"},
		{"absurd amount", "fixed: 3", "fixed: 3000", "certificates.special_ability.fixed must be from 0 to 1000 credits"},
		{"not yaml", base, "version: [", "credit rules:"},
		{"empty", base, "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, base, tt.from)
			_, err := credit.ParseRules([]byte(strings.Replace(base, tt.from, tt.to, 1)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
