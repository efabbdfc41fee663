package employment

import (
	"cmp"
	"math"
	"slices"
)

// TypeJobSkillsUpgrade is the training type of in-service training (岗位技能提升培训), whose
// trainees count for the retention rate (稳岗率).
const TypeJobSkillsUpgrade = "job_skills_upgrade"

// Group is what one line of the follow-up is for: an institution (ClassID empty) or one of its
// classes.
type Group struct {
	InstitutionID string
	ClassID       string
}

// Trainee is the trainee of one training record that ended in the period.
type Trainee struct {
	Group        Group
	WorkerID     string
	TrainingType string
	Start, End   Date
}

// Figures are one group's follow-up. Trainees counts workers (one per group, by their latest
// training in the period); Unknown those with no employment data at all, who are left out of
// every rate (never counted as unemployed). Employed3m and Employed6m count, among the known
// trainees who were not working (no employed or insured spell) on their training's start date,
// those with an employed or insured spell on some day of the 3 (6) months after its end;
// Rate3m and Rate6m divide them by that population (上岗率). Retained6m counts, among the known
// job_skills_upgrade trainees who worked for an employer (a spell with its credit code) on the
// training's end date, those working for the same employer 6 months after it; RetentionRate
// divides by that population (稳岗率). Rates are fractions 0–1 rounded to 4 decimals, 0 when
// the population is empty.
type Figures struct {
	Trainees      int
	Unknown       int
	Employed3m    int
	Employed6m    int
	Rate3m        float64
	Rate6m        float64
	Retained6m    int
	RetentionRate float64
}

// Line is one group's figures.
type Line struct {
	Group   Group
	Figures Figures
}

// Evaluate computes the figures of each group from its trainees and their spells (by worker
// id), in group order.
func Evaluate(trainees []Trainee, spells map[string][]Spell) []Line {
	latest := map[Group]map[string]Trainee{}
	for _, t := range trainees {
		byWorker := latest[t.Group]
		if byWorker == nil {
			byWorker = map[string]Trainee{}
			latest[t.Group] = byWorker
		}
		if prev, ok := byWorker[t.WorkerID]; !ok || prev.End.Before(t.End) {
			byWorker[t.WorkerID] = t
		}
	}
	lines := make([]Line, 0, len(latest))
	for g, byWorker := range latest {
		var f Figures
		var seekers, employees int
		for _, t := range byWorker {
			f.Trainees++
			ws := spells[t.WorkerID]
			if len(ws) == 0 {
				f.Unknown++
				continue
			}
			if _, working := workingOn(ws, t.Start); !working {
				seekers++
				if workingWithin(ws, t.End, 3) {
					f.Employed3m++
				}
				if workingWithin(ws, t.End, 6) {
					f.Employed6m++
				}
			}
			if t.TrainingType == TypeJobSkillsUpgrade {
				if employer, ok := workingOn(ws, t.End); ok && employer != "" {
					employees++
					if workingFor(ws, employer, addMonths(t.End, 6)) {
						f.Retained6m++
					}
				}
			}
		}
		f.Rate3m, f.Rate6m, f.RetentionRate = rate(f.Employed3m, seekers), rate(f.Employed6m, seekers), rate(f.Retained6m, employees)
		lines = append(lines, Line{Group: g, Figures: f})
	}
	slices.SortFunc(lines, func(a, b Line) int {
		return cmp.Or(cmp.Compare(a.Group.InstitutionID, b.Group.InstitutionID), cmp.Compare(a.Group.ClassID, b.Group.ClassID))
	})
	return lines
}

// workingOn reports whether a working spell covers day d, and the employer of one that has an
// employer code ("" when none does).
func workingOn(spells []Spell, d Date) (string, bool) {
	employer, working := "", false
	for _, s := range spells {
		if s.Working() && s.Covers(d) {
			working = true
			if s.EmployerCode != "" {
				employer = s.EmployerCode
			}
		}
	}
	return employer, working
}

// workingWithin reports whether a working spell runs on some day after end, up to end plus
// months.
func workingWithin(spells []Spell, end Date, months int) bool {
	from, to := addDays(end, 1), addMonths(end, months)
	for _, s := range spells {
		if s.Working() && s.Overlaps(from, to) {
			return true
		}
	}
	return false
}

// workingFor reports whether a working spell with the employer covers day d.
func workingFor(spells []Spell, employer string, d Date) bool {
	for _, s := range spells {
		if s.Working() && s.EmployerCode == employer && s.Covers(d) {
			return true
		}
	}
	return false
}

func addMonths(d Date, n int) Date {
	t := d.Time().AddDate(0, n, 0)
	return Date{Y: t.Year(), M: t.Month(), D: t.Day()}
}

func addDays(d Date, n int) Date {
	t := d.Time().AddDate(0, 0, n)
	return Date{Y: t.Year(), M: t.Month(), D: t.Day()}
}

func rate(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(float64(n)/float64(of)*10000) / 10000
}
