package class

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
	"skillrecord/internal/training"
)

// Trainings posts the training records of a completion through the training-record use
// cases (package training's Service), inside the completion's transaction.
type Trainings interface {
	PostLinked(ctx context.Context, institutionID string, inputs []training.Input, links []training.Link) ([]training.Result, error)
}

// RecordCache is told, after a commit, which workers' records changed.
type RecordCache interface {
	WorkerChanged(ctx context.Context, workerIDs ...string)
}

// Completed is one trainee's outcome as a completion stored it.
type Completed struct {
	Member         Member
	TrainingID     string
	Result         string
	AttendanceRate float64
	SubsidyCents   *int64
}

// Completion is what a completion did: the class (now completed) and one record per trainee,
// in the request's order.
type Completion struct {
	Class    Class
	Trainees []Completed
}

// Complete ends an approved class whose last session has ended (结业): one training record
// per roster member, created through the training-record path (its validation, real-name
// check, credits and audit), subsidised, linked to the class and carrying the trainee's
// attendance rate; the class becomes completed. All or nothing. Every roster member must be
// listed once (not_on_roster / duplicate_trainee by index, missing_trainee on trainees); a
// passed trainee of an item that requires a certificate needs certificate_no. The same
// completion again answers Unchanged; anything else on a class that is not approved, or whose
// last session has not ended, is 409 invalid_transition.
func (s *Service) Complete(ctx context.Context, institutionID, id string, in CompletionInput) (Completion, Outcome, error) {
	now := s.now()
	trainees, bad := ParseTrainees(in, now.In(s.loc()))
	if len(bad) > 0 {
		return Completion{}, "", invalid(bad, "completion")
	}
	ssns := make([]identity.SSN, len(trainees))
	for i, t := range trainees {
		ssns[i] = t.SSN
	}
	known, err := s.Directory.Identify(ctx, ssns)
	if err != nil {
		return Completion{}, "", err
	}
	var (
		out     Completion
		outcome = Created
	)
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.lockOwn(ctx, institutionID, id)
		if err != nil {
			return err
		}
		members, err := s.Store.Members(ctx, c.ID)
		if err != nil {
			return err
		}
		c.Roster, c.RosterSize = members, len(members)
		pos := make(map[string]int, len(members))
		for i, m := range members {
			pos[m.WorkerID] = i
		}
		workerIDs := make([]string, len(trainees))
		var bad []errs.FieldError
		for i, t := range trainees {
			w, ok := known[t.SSN]
			if _, on := pos[w.WorkerID]; !ok || !on {
				bad = append(bad, errs.RowField(i, FieldSSN, CodeNotOnRoster, "the trainee is not on the roster"))
				continue
			}
			workerIDs[i] = w.WorkerID
		}
		digest := completionDigest(workerIDs, trainees)
		switch {
		case c.Status == StatusCompleted && bytes.Equal(c.CompletionDigest, digest):
			outcome = Unchanged
		case c.Status == StatusCompleted:
			return errs.Conflict(CodeInvalidTransition, "the class was completed before with other results")
		default:
			if err := Move(c.Status, StatusCompleted); err != nil {
				return err
			}
			if !c.Ended(now, s.loc()) {
				return errs.Conflict(CodeInvalidTransition, "the class's last session has not ended")
			}
		}
		if missing := len(members) - (len(trainees) - len(bad)); len(bad) == 0 && missing > 0 {
			bad = append(bad, errs.Field(FieldTrainees, CodeMissingTrainee, fmt.Sprintf("%d roster members are not listed", missing)))
		}
		item, _ := s.Catalogue.Item(c.SubsidyItem)
		for i, t := range trainees {
			if item.CertificateRequired && t.Result == training.ResultPassed && t.CertificateNo == "" {
				bad = append(bad, errs.RowField(i, FieldCertificateNo, CodeCertificateRequired, "the subsidy item requires a certificate for a passed trainee"))
			}
		}
		if len(bad) > 0 {
			sortFields(bad)
			return invalid(bad, "completion")
		}
		attended, err := s.Store.Attendance(ctx, c.ID)
		if err != nil {
			return err
		}
		out = Completion{Class: c, Trainees: make([]Completed, len(trainees))}
		inputs := make([]training.Input, len(trainees))
		links := make([]training.Link, len(trainees))
		for i, t := range trainees {
			m := members[pos[workerIDs[i]]]
			rate := AttendanceRate(attended[m.WorkerID], len(c.Sessions))
			cents := item.Subsidy(t.Result == training.ResultPassed, rate, t.CertificateNo)
			inputs[i] = s.recordInput(c, pos[m.WorkerID], m, t, cents)
			links[i] = training.Link{ClassID: c.ID, AttendanceRate: rate}
			out.Trainees[i] = Completed{Member: m, Result: t.Result, AttendanceRate: rate, SubsidyCents: cents}
		}
		results, err := s.Trainings.PostLinked(ctx, institutionID, inputs, links)
		if err != nil {
			return err
		}
		for _, r := range results {
			out.Trainees[r.Index].TrainingID = r.ID
		}
		if outcome == Unchanged {
			return nil
		}
		c.Status, c.CompletedAt, c.CompletionDigest, c.UpdatedAt = StatusCompleted, now, digest, now
		out.Class = c
		if err := s.Store.SaveStatus(ctx, c); err != nil {
			return err
		}
		return emitClass(ctx, event.KindClassCompleted, c, now)
	})
	if err != nil {
		return Completion{}, "", err
	}
	if outcome == Created {
		s.changed(ctx, out.Class.MemberIDs()...)
	}
	return out, outcome, nil
}

// recordInput is the training record of one trainee: the class's course, dates (to its last
// session) and hours, subsidised, under an external_id derived from the class and the
// member's place on the roster.
func (s *Service) recordInput(c Class, place int, m Member, t Trainee, cents *int64) training.Input {
	hours, subsidized := c.Hours, true
	last := c.Sessions[len(c.Sessions)-1].Date
	return training.Input{
		ExternalID: "class:" + c.ID + ":" + strconv.Itoa(place+1), SSN: string(m.SSN), Name: m.Name,
		CourseName: c.CourseName, TrainingType: c.TrainingType, OccupationCode: c.OccupationCode,
		OccupationName: c.OccupationName, Level: c.Level, Hours: &hours,
		StartDate: c.StartDate.String(), EndDate: last.String(), Result: t.Result,
		Subsidized: &subsidized, SubsidyAmountCents: cents,
	}
}
