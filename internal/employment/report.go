package employment

import (
	"context"
	"slices"
)

// EvaluationStore reads what the follow-up needs.
type EvaluationStore interface {
	// EndedTrainings returns the trainee of every active training record whose end date is in
	// [from, to], grouped by institution, and the institutions' names by id.
	EndedTrainings(ctx context.Context, from, to Date) ([]Trainee, map[string]string, error)
	// SpellsOf returns the spells of the workers, by worker id.
	SpellsOf(ctx context.Context, workerIDs []string) (map[string][]Spell, error)
}

// Report is the employment follow-up of a period.
type Report struct {
	From, To Date
	Lines    []ReportLine
}

// ReportLine is one institution's figures.
type ReportLine struct {
	InstitutionID   string
	InstitutionName string
	Figures
}

// Evaluator computes the employment follow-up.
type Evaluator struct {
	Store EvaluationStore
}

// Evaluate returns the figures per institution for the trainees of training records that ended
// in [from, to].
func (e *Evaluator) Evaluate(ctx context.Context, from, to Date) (Report, error) {
	trainees, names, err := e.Store.EndedTrainings(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	workers := make([]string, len(trainees))
	for i, t := range trainees {
		workers[i] = t.WorkerID
	}
	slices.Sort(workers)
	spells, err := e.Store.SpellsOf(ctx, slices.Compact(workers))
	if err != nil {
		return Report{}, err
	}
	r := Report{From: from, To: to, Lines: []ReportLine{}}
	for _, l := range Evaluate(trainees, spells) {
		r.Lines = append(r.Lines, ReportLine{InstitutionID: l.Group.InstitutionID, InstitutionName: names[l.Group.InstitutionID], Figures: l.Figures})
	}
	return r, nil
}
