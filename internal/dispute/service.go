package dispute

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/audit"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// Store keeps disputes and finds whose a disputed subject is.
type Store interface {
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// TrainingOwner returns the training record's owner; errs.NotFound when there is none.
	TrainingOwner(ctx context.Context, trainingID string) (Owner, error)
	// LineOwner returns the claim line's owner; errs.NotFound when there is none.
	LineOwner(ctx context.Context, lineID string) (Owner, error)
	// OpenDisputes counts the worker's open disputes of the subject.
	OpenDisputes(ctx context.Context, workerID, subject, subjectID string) (int, error)
	AddDispute(ctx context.Context, d Dispute) error
	LockDispute(ctx context.Context, id string) (Dispute, error)
	SaveDispute(ctx context.Context, d Dispute) error
	Disputes(ctx context.Context, f Filter, after *Position, limit int) ([]Dispute, error)
}

// Voider voids a training record and its credits (the training-record void path).
type Voider interface {
	Void(ctx context.Context, institutionID, id, reason string) error
}

// Holder holds the subsidy lines of a training record, or one line: a paid line gets a
// reversal owed in the funds ledger instead.
type Holder interface {
	Hold(ctx context.Context, trainingID, lineID string) error
}

// Vouchers cancels the training voucher behind an upheld dispute's subsidy line.
type Vouchers interface {
	CancelLine(ctx context.Context, lineID string) error
}

// Service is the dispute use cases.
type Service struct {
	Store  Store
	Voider Voider
	Holder Holder
	// Vouchers cancels the voucher behind an upheld line dispute; may be nil.
	Vouchers Vouchers
	Cache    class.RecordCache // told whose record changed; may be nil
	Now      func() time.Time
	NewID    func() string
}

// Raise records a worker's dispute of a training record or a subsidy line in their name;
// anything else is 404 like an unknown id.
func (s *Service) Raise(ctx context.Context, workerID string, in Input) (Dispute, error) {
	subject := strings.TrimSpace(in.Subject)
	if subject != SubjectTraining && subject != SubjectSubsidyLine {
		return Dispute{}, errs.Invalid(CodeInvalidSubject, "subject must be training or subsidy_line").
			WithFields(errs.Field("subject", CodeInvalidSubject, "training or subsidy_line"))
	}
	reason, err := class.ParseReason(in.Reason, true)
	if err != nil {
		return Dispute{}, err
	}
	id := strings.TrimSpace(in.ID)
	if !validID(id) {
		return Dispute{}, notFound()
	}
	now := s.now()
	var out Dispute
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		var owner Owner
		var err error
		if subject == SubjectTraining {
			owner, err = s.Store.TrainingOwner(ctx, id)
		} else {
			owner, err = s.Store.LineOwner(ctx, id)
		}
		switch {
		case errs.KindOf(err) == errs.KindNotFound || err == nil && owner.WorkerID != workerID:
			return notFound()
		case err != nil:
			return err
		}
		open, err := s.Store.OpenDisputes(ctx, workerID, subject, id)
		if err != nil {
			return err
		}
		if open > 0 {
			return errs.Conflict(CodeDisputeOpen, "an open dispute of it is under way")
		}
		out = Dispute{ID: s.newID(), WorkerID: workerID, Subject: subject, SubjectID: id, InstitutionID: owner.InstitutionID,
			Reason: reason, Status: StatusOpen, CreatedAt: now}
		audit.Touch(ctx, workerID)
		return s.Store.AddDispute(ctx, out)
	})
	return out, err
}

// List returns one page of disputes matching f, newest first.
func (s *Service) List(ctx context.Context, f Filter, p page.Request) (page.Result[Dispute], error) {
	switch f.Status {
	case "", StatusOpen, StatusUpheld, StatusDismissed:
	default:
		return page.Result[Dispute]{}, errs.Invalid(CodeInvalidStatus, "status must be open, upheld or dismissed").
			WithFields(errs.Field("status", CodeInvalidStatus, "open, upheld or dismissed"))
	}
	after, err := position(p)
	if err != nil {
		return page.Result[Dispute]{}, err
	}
	items, err := s.Store.Disputes(ctx, f, after, p.Limit+1)
	if err != nil {
		return page.Result[Dispute]{}, err
	}
	return page.Trim(items, p.Limit, func(d Dispute) string { return key(d.CreatedAt, d.ID) }), nil
}

// Resolve decides an open dispute. Upheld: the training record (the disputed one, or the
// line's) is voided with its credits through the void path, and its subsidy lines are held,
// or a reversal owed is recorded for a line paid already. A resolved dispute is 409.
func (s *Service) Resolve(ctx context.Context, id string, in ResolveInput) (Dispute, error) {
	if in.Upheld == nil {
		return Dispute{}, errs.Invalid(CodeRequired, "upheld is required").
			WithFields(errs.Field("upheld", CodeRequired, "true or false"))
	}
	reason, err := class.ParseReason(in.Reason, true)
	if err != nil {
		return Dispute{}, err
	}
	if !validID(id) {
		return Dispute{}, notFound()
	}
	now := s.now()
	var out Dispute
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.Store.LockDispute(ctx, id)
		switch {
		case errs.KindOf(err) == errs.KindNotFound:
			return notFound()
		case err != nil:
			return err
		case d.Status != StatusOpen:
			return errs.Conflict(CodeInvalidTransition, "the dispute was resolved before")
		}
		d.Status, d.ResolveReason, d.ResolvedAt = StatusDismissed, reason, now
		if *in.Upheld {
			d.Status = StatusUpheld
			if err := s.uphold(ctx, d, reason); err != nil {
				return err
			}
			if err := emitUpheld(ctx, d); err != nil {
				return err
			}
		}
		audit.Touch(ctx, d.WorkerID)
		out = d
		return s.Store.SaveDispute(ctx, d)
	})
	if err != nil {
		return Dispute{}, err
	}
	if s.Cache != nil {
		s.Cache.WorkerChanged(context.WithoutCancel(ctx), out.WorkerID)
	}
	return out, nil
}

func (s *Service) uphold(ctx context.Context, d Dispute, reason string) error {
	trainingID, lineID := d.SubjectID, ""
	if d.Subject == SubjectSubsidyLine {
		owner, err := s.Store.LineOwner(ctx, d.SubjectID)
		if err != nil {
			return err
		}
		trainingID, lineID = owner.TrainingID, d.SubjectID
	}
	if trainingID != "" {
		note := []rune("upheld dispute: " + reason)
		err := s.Voider.Void(ctx, d.InstitutionID, trainingID, string(note[:min(len(note), 500)]))
		if err != nil && errs.CodeOf(err) != "already_void" {
			return err
		}
	}
	if lineID != "" && s.Vouchers != nil {
		if err := s.Vouchers.CancelLine(ctx, lineID); err != nil {
			return err
		}
	}
	return s.Holder.Hold(ctx, trainingID, lineID)
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func notFound() error { return errs.NotFound(CodeNotFound, "no such record or line of yours") }

func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

func key(at time.Time, id string) string { return strconv.FormatInt(at.UnixMicro(), 10) + "_" + id }

func position(p page.Request) (*Position, error) {
	if p.After == "" {
		return nil, nil
	}
	at, id, ok := strings.Cut(p.After, "_")
	us, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || !validID(id) {
		return nil, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
			WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
	}
	return &Position{At: time.UnixMicro(us).UTC(), ID: id}, nil
}
