package employment_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/civil"
	"skillrecord/internal/employment"
)

func day(s string) civil.Date {
	d, err := civil.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ptr(s string) *civil.Date { d := day(s); return &d }

func spell(kind, employer, start string, end *civil.Date) employment.Spell {
	return employment.Spell{Kind: kind, EmployerCode: employer, Start: day(start), End: end}
}

const (
	e1 = "91350100M000100Y43"
	e2 = "91370400MA3C8XXXXX" // any code: Evaluate compares, it does not validate
)

// TestEvaluate_RatesMatchFiguresComputedByHand checks 上岗率 and 稳岗率 on a hand-made set:
//
//	institution A: six workers (w1 trained twice, counted once by the latest record).
//	  w1 seeker (unemployed at start), employed 2025-03-15, 43 days after the end → 3m and 6m;
//	  w2 seeker, insured from 2025-07-01, 4 months after the end → 6m only;
//	  w3 seeker, still unemployed → neither;
//	  w4 no data → unknown, left out of every rate;
//	  w5 job_skills_upgrade, with e1 at the end and 6 months later → retained;
//	  w6 job_skills_upgrade, with e1 at the end, with e2 six months later → not retained.
//	  seekers 3: employed_3m 1 (1/3 = 0.3333), employed_6m 2 (2/3 = 0.6667);
//	  employees 2: retained_6m 1 (0.5).
//	institution B: w4 again, no data → 1 trainee, 1 unknown, rates 0.
func TestEvaluate_RatesMatchFiguresComputedByHand(t *testing.T) {
	a := employment.Group{InstitutionID: "inst-a"}
	b := employment.Group{InstitutionID: "inst-b"}
	tr := func(g employment.Group, w, typ, start, end string) employment.Trainee {
		return employment.Trainee{Group: g, WorkerID: w, TrainingType: typ, Start: day(start), End: day(end)}
	}
	trainees := []employment.Trainee{
		tr(a, "w1", "employment_skills", "2025-01-02", "2025-01-15"),
		tr(a, "w1", "employment_skills", "2025-01-01", "2025-01-31"),
		tr(a, "w2", "employment_skills", "2025-02-01", "2025-02-28"),
		tr(a, "w3", "employment_skills", "2025-03-01", "2025-03-31"),
		tr(a, "w4", "employment_skills", "2025-03-01", "2025-03-31"),
		tr(a, "w5", "job_skills_upgrade", "2025-04-01", "2025-04-30"),
		tr(a, "w6", "job_skills_upgrade", "2025-05-01", "2025-05-31"),
		tr(b, "w4", "entrepreneurship", "2025-06-01", "2025-06-30"),
	}
	spells := map[string][]employment.Spell{
		"w1": {spell("unemployed_registered", "", "2024-06-01", ptr("2025-02-10")), spell("employed", e1, "2025-03-15", nil)},
		"w2": {spell("unemployed_registered", "", "2024-12-01", ptr("2025-06-30")), spell("insured", "", "2025-07-01", nil)},
		"w3": {spell("unemployed_registered", "", "2025-01-01", nil)},
		"w5": {spell("employed", e1, "2020-01-01", nil)},
		"w6": {spell("employed", e1, "2020-01-01", ptr("2025-08-31")), spell("employed", e2, "2025-09-01", nil)},
	}
	lines := employment.Evaluate(trainees, spells)
	require.Len(t, lines, 2)
	assert.Equal(t, a, lines[0].Group)
	assert.Equal(t, employment.Figures{
		Trainees: 6, Unknown: 1, Employed3m: 1, Employed6m: 2, Rate3m: 0.3333, Rate6m: 0.6667,
		Retained6m: 1, RetentionRate: 0.5,
	}, lines[0].Figures)
	assert.Equal(t, b, lines[1].Group)
	assert.Equal(t, employment.Figures{Trainees: 1, Unknown: 1}, lines[1].Figures, "no data is unknown, never unemployed")
}

func TestEvaluate_WindowsStartAfterTheEndAndCloseOnTheMonthDay(t *testing.T) {
	g := employment.Group{InstitutionID: "i"}
	trainees := []employment.Trainee{
		{Group: g, WorkerID: "in", TrainingType: "employment_skills", Start: day("2025-01-01"), End: day("2025-01-31")},
		{Group: g, WorkerID: "out", TrainingType: "employment_skills", Start: day("2025-01-01"), End: day("2025-01-31")},
	}
	spells := map[string][]employment.Spell{
		// 2025-01-31 + 3 months = 2025-05-01 (AddDate normalises April 31): the last day counted.
		"in":  {spell("employed", "", "2025-05-01", nil)},
		"out": {spell("employed", "", "2025-05-02", nil)},
	}
	f := employment.Evaluate(trainees, spells)[0].Figures
	assert.Equal(t, 1, f.Employed3m)
	assert.Equal(t, 2, f.Employed6m)
	assert.Equal(t, 0.5, f.Rate3m)
	assert.Equal(t, 1.0, f.Rate6m)
}
