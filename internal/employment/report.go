package employment

import (
	"context"
	"slices"
)

// EvaluationStore reads what the follow-up needs.
type EvaluationStore interface {
	// EndedTrainings returns the trainee of every active training record whose end date is in
	// [from, to], grouped by institution and by the class that created the record (none for a
	// record posted outside a class), and the names of those institutions and classes.
	EndedTrainings(ctx context.Context, from, to Date) ([]Trainee, Names, error)
	// SpellsOf returns the spells of the workers, by worker id.
	SpellsOf(ctx context.Context, workerIDs []string) (map[string][]Spell, error)
}

// Names are what the report shows beside the ids: the institutions' names and the classes'
// course names, by id.
type Names struct {
	Institutions map[string]string
	Courses      map[string]string
}

// Report is the employment follow-up of a period: one line per institution (every trainee of
// its records) and one per class (the trainees of the records its completion created; a record
// without a class counts in its institution's line only).
type Report struct {
	From, To     Date
	Institutions []ReportLine
	Classes      []ReportLine
}

// ReportLine is one institution's or one class's figures; ClassID and CourseName are empty on
// an institution's line.
type ReportLine struct {
	InstitutionID   string
	InstitutionName string
	ClassID         string
	CourseName      string
	Figures
}

// Evaluator computes the employment follow-up.
type Evaluator struct {
	Store EvaluationStore
}

// Evaluate returns the figures per institution and per class for the trainees of training
// records that ended in [from, to].
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
	byInstitution := make([]Trainee, len(trainees))
	var inClass []Trainee
	for i, t := range trainees {
		if t.Group.ClassID != "" {
			inClass = append(inClass, t)
		}
		t.Group.ClassID = ""
		byInstitution[i] = t
	}
	r := Report{From: from, To: to, Institutions: []ReportLine{}, Classes: []ReportLine{}}
	for _, l := range Evaluate(byInstitution, spells) {
		r.Institutions = append(r.Institutions, ReportLine{InstitutionID: l.Group.InstitutionID,
			InstitutionName: names.Institutions[l.Group.InstitutionID], Figures: l.Figures})
	}
	for _, l := range Evaluate(inClass, spells) {
		r.Classes = append(r.Classes, ReportLine{InstitutionID: l.Group.InstitutionID,
			InstitutionName: names.Institutions[l.Group.InstitutionID], ClassID: l.Group.ClassID,
			CourseName: names.Courses[l.Group.ClassID], Figures: l.Figures})
	}
	return r, nil
}
