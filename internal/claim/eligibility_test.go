package claim_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/civil"
	"skillrecord/internal/claim"
	"skillrecord/internal/class"
)

func TestEvaluate_EachRuleGivesItsReason(t *testing.T) {
	item := class.Item{AmountCents: 120000, MinAttendance: 0.8, CertificateRequired: true}
	ok := claim.Facts{TrainingID: "t", Result: "passed", AttendanceRate: 0.8, HasCertificate: true, CardActive: true, YearCount: 2}
	cases := []struct {
		name   string
		change func(*claim.Facts)
		want   []string
	}{
		{"eligible", func(*claim.Facts) {}, nil},
		{"failed", func(f *claim.Facts) { f.Result = "failed" }, []string{claim.ReasonNotPassed}},
		{"no record", func(f *claim.Facts) { f.TrainingID = "" }, []string{claim.ReasonNotPassed}},
		{"attendance", func(f *claim.Facts) { f.AttendanceRate = 0.7999 }, []string{claim.ReasonAttendanceBelowMinimum}},
		{"certificate", func(f *claim.Facts) { f.HasCertificate = false }, []string{claim.ReasonCertificateMissing}},
		{"fourth in a year", func(f *claim.Facts) { f.YearCount = 3 }, []string{claim.ReasonAnnualLimitReached}},
		{"same occupation and level", func(f *claim.Facts) { f.SameSubsidised = true }, []string{claim.ReasonOccupationLevel}},
		{"card", func(f *claim.Facts) { f.CardActive = false }, []string{claim.ReasonCardInactive}},
		{"all", func(f *claim.Facts) { *f = claim.Facts{YearCount: 5, SameSubsidised: true} }, []string{
			claim.ReasonNotPassed, claim.ReasonAttendanceBelowMinimum, claim.ReasonCertificateMissing,
			claim.ReasonAnnualLimitReached, claim.ReasonOccupationLevel, claim.ReasonCardInactive}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := ok
			c.change(&f)
			got := claim.Evaluate(f, item)
			assert.Equal(t, c.want, got)
			if len(c.want) == 0 {
				assert.Equal(t, claim.Cents(120000), claim.Amount(got, item))
			} else {
				assert.Zero(t, claim.Amount(got, item))
			}
		})
	}
}

func TestEvaluate_NoCertificateNeededWhenTheItemAsksNone(t *testing.T) {
	item := class.Item{AmountCents: 30000, MinAttendance: 0.8}
	f := claim.Facts{TrainingID: "t", Result: "passed", AttendanceRate: 1, CardActive: true}
	assert.Empty(t, claim.Evaluate(f, item))
}

func TestEvaluate_RequiredStatusNeedsASpellOnTheStartDate(t *testing.T) {
	item := class.Item{AmountCents: 100000, MinAttendance: 0.8, RequiresStatus: class.StatusUnemployedRegistered}
	f := claim.Facts{TrainingID: "t", Result: "passed", AttendanceRate: 1, CardActive: true}
	assert.Equal(t, []string{claim.ReasonEmploymentStatus}, claim.Evaluate(f, item))
	f.Statuses = []string{"insured"}
	assert.Equal(t, []string{claim.ReasonEmploymentStatus}, claim.Evaluate(f, item))
	f.Statuses = []string{"insured", "unemployed_registered"}
	assert.Empty(t, claim.Evaluate(f, item))
}

func TestEvaluate_AVoucherRequiredItemPaysAtMostTheFaceValue(t *testing.T) {
	item := class.Item{AmountCents: 150000, MinAttendance: 0.8, VoucherRequired: true}
	f := claim.Facts{TrainingID: "t", Result: "passed", AttendanceRate: 1, CardActive: true}
	r := claim.Evaluate(f, item)
	assert.Equal(t, []string{claim.ReasonVoucherMissing}, r)
	assert.Zero(t, claim.AmountOf(f, r, item))
	f.HasVoucher, f.VoucherCents = true, 100000
	r = claim.Evaluate(f, item)
	assert.Empty(t, r)
	assert.Equal(t, claim.Cents(100000), claim.AmountOf(f, r, item))
	f.VoucherCents = 200000
	assert.Equal(t, claim.Cents(150000), claim.AmountOf(f, r, item))
}

func TestCount_TheYearIsTheClassEndYearAndTheRepeatWindowIsInYears(t *testing.T) {
	lvl := 5
	d := func(s string) civil.Date {
		v, err := civil.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	priors := []claim.Prior{
		{OccupationCode: "6-18-01-01", Level: &lvl, EndDate: d("2023-05-01")},
		{OccupationCode: "6-29-01-01", EndDate: d("2026-01-10")},
		{OccupationCode: "6-29-01-02", EndDate: d("2026-12-31")},
	}
	inYear, same := claim.Count(priors, d("2026-06-30"), "6-18-01-01", &lvl, 0)
	assert.Equal(t, 2, inYear)
	assert.True(t, same, "0 = ever")
	_, same = claim.Count(priors, d("2026-06-30"), "6-18-01-01", &lvl, 3)
	assert.False(t, same, "more than 3 years before")
	_, same = claim.Count(priors, d("2026-04-30"), "6-18-01-01", &lvl, 3)
	assert.True(t, same, "within 3 years")
	_, same = claim.Count(priors, d("2026-06-30"), "6-18-01-01", nil, 0)
	assert.False(t, same, "another level")
	inYear, _ = claim.Count(priors, d("2027-01-01"), "x", nil, 0)
	assert.Zero(t, inYear)
}
