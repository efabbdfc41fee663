package training

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/audit"
	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
	"skillrecord/internal/page"
	"skillrecord/internal/worker"
)

// Store keeps training records. Its writes join the transaction that WithTx puts in the
// context, so that a record and its ledger entries commit or roll back together.
type Store interface {
	// WithTx runs fn in one transaction carried by ctx (a nested call joins the outer one).
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// InBackground runs fn, statements of ctx's transaction, on another goroutine while the
	// caller goes on with work that needs no statement; the caller's statements under the
	// returned context wait for fn first and fail with its error. The returned function
	// waits for fn and gives its error; call it before the transaction's function returns.
	InBackground(ctx context.Context, fn func(ctx context.Context) error) (context.Context, func() error)
	// CreateTrainings inserts new records with multi-row inserts, in the given order. An
	// external_id the institution has used already is errs.Conflict duplicate_conflict.
	CreateTrainings(ctx context.Context, ts []Training) error
	// TrainingsByExternalID returns the institution's records among externalIDs, by external
	// id, with one query per thousand ids.
	TrainingsByExternalID(ctx context.Context, institutionID string, externalIDs []string) (map[string]Training, error)
	// LockTraining reads one record and locks it until the transaction ends; errs.NotFound
	// when there is none.
	LockTraining(ctx context.Context, id string) (Training, error)
	// SaveVoid stores t's status, void reason, void time and update time.
	SaveVoid(ctx context.Context, t Training) error
	// InstitutionTrainings returns up to limit of the institution's records matching f,
	// newest posting first (CreatedAt, then ID, descending), after the position when given.
	InstitutionTrainings(ctx context.Context, institutionID string, f Filter, after *Position, limit int) ([]Training, error)
	// WorkerTrainings returns up to limit of the worker's records, latest end date first
	// (end date, then ID, descending), after the position when given.
	WorkerTrainings(ctx context.Context, workerID string, after *Position, limit int) ([]Training, error)
	// CountWorkerTrainings counts the worker's active records, and the passed ones among them.
	CountWorkerTrainings(ctx context.Context, workerID string) (Counts, error)
}

// RecordCache is told, after a commit, which workers' records changed, so that cached views
// of them are dropped. It must not fail the request: a cache that cannot be reached deals with
// that itself.
type RecordCache interface {
	WorkerChanged(ctx context.Context, workerIDs ...string)
}

// Service is the training-record use cases: an institution posts records one at a time or in
// batches, lists and voids its own; a worker lists the records posted for it. Each write
// validates the record (the rules of this package), checks the worker's real name against the
// cardholder registry, applies the idempotency of external_id, and stores the record with its
// credits (credit.Poster) in one transaction.
type Service struct {
	Store     Store
	Directory worker.Directory // the cardholder registry, for the real-name check
	Poster    *credit.Poster   // posts the credits inside the record's transaction
	Cache     RecordCache      // may be nil
	Now       func() time.Time
	NewID     func() string // record ids; nil means UUID v7
}

// MaxBatch is the largest number of records a batch may hold.
const MaxBatch = 1000

// china is the zone whose calendar date is "today" for the date rules.
var china = time.FixedZone("CST", 8*60*60)

// retries bounds how often a write that lost a race on an external_id is tried again (each
// time comparing with the record that won).
const retries = 3

// Post stores one record for the institution: Created when it is new (credited in the same
// transaction), Unchanged — with the stored record — when the institution posted an identical
// one with this external_id before. Errors: errs.Invalid with every bad field (code of the
// first), unknown_cardholder or name_mismatch; errs.Conflict duplicate_conflict when the
// external_id holds a different record. Two identical posts racing end as one Created and one
// Unchanged.
func (s *Service) Post(ctx context.Context, institutionID string, in Input) (Training, Outcome, error) {
	now := s.now()
	rec, fields := in.Validate(now.In(china))
	if len(fields) > 0 {
		return Training{}, "", errs.Invalid(fields[0].Code, "the training record is not valid").WithFields(fields...)
	}
	known, err := s.Directory.Identify(ctx, []identity.SSN{rec.SSN})
	if err != nil {
		return Training{}, "", err
	}
	workerID, code := worker.CheckRealName(s.Directory, known, rec.SSN, rec.Name)
	if code != "" {
		return Training{}, "", worker.RealNameError(code)
	}
	credits, err := s.credits(rec)
	if err != nil {
		return Training{}, "", err
	}
	t := s.newTraining(institutionID, workerID, rec, credits, now)
	for attempt := 1; ; attempt++ {
		existing, err := s.Store.TrainingsByExternalID(ctx, institutionID, []string{rec.ExternalID})
		if err != nil {
			return Training{}, "", err
		}
		if prev, found := existing[rec.ExternalID]; found {
			if !prev.Matches(workerID, rec) {
				return Training{}, "", conflict()
			}
			return prev, Unchanged, nil
		}
		err = s.Store.WithTx(event.WithOrg(ctx, institutionID), func(ctx context.Context) error {
			audit.Touch(ctx, workerID)
			if err := s.Store.CreateTrainings(ctx, []Training{t}); err != nil {
				return err
			}
			if err := emitPosted(ctx, []Training{t}); err != nil {
				return err
			}
			_, err := s.Poster.TrainingPosted(ctx, workerID, t.ID, rec.Hours, rec.Passed())
			return err
		})
		if isDuplicate(err) && attempt < retries {
			continue // a concurrent post of this external_id committed first: compare with it
		}
		if err != nil {
			return Training{}, "", err
		}
		s.changed(ctx, workerID)
		return t, Created, nil
	}
}

// Void voids one of the institution's records: the row stays, with status void, the reason
// and the time, and the credits it earned are reversed exactly (credit.Poster.TrainingVoided)
// in the same transaction. Errors: errs.Invalid required or invalid_reason (field reason);
// errs.NotFound not_found for a record that does not exist or belongs to another institution
// (the two answer alike); errs.Conflict already_void when it was voided before.
func (s *Service) Void(ctx context.Context, institutionID, id, rawReason string) (Training, error) {
	reason, err := ParseVoidReason(rawReason)
	if err != nil {
		return Training{}, err
	}
	if !validID(id) {
		return Training{}, notFound()
	}
	var out Training
	err = s.Store.WithTx(event.WithOrg(ctx, institutionID), func(ctx context.Context) error {
		t, err := s.Store.LockTraining(ctx, id)
		switch {
		case errs.KindOf(err) == errs.KindNotFound:
			return notFound()
		case err != nil:
			return err
		case t.InstitutionID != institutionID:
			return notFound()
		case t.Void():
			return errs.Conflict(CodeAlreadyVoid, "the training record was voided before")
		}
		audit.Touch(ctx, t.WorkerID)
		now := s.now()
		t.Status, t.VoidReason, t.VoidedAt, t.UpdatedAt = StatusVoid, reason, now, now
		if err := s.Store.SaveVoid(ctx, t); err != nil {
			return err
		}
		if err := emitVoided(ctx, t); err != nil {
			return err
		}
		if _, err := s.Poster.TrainingVoided(ctx, t.WorkerID, t.ID); err != nil {
			return err
		}
		out = t
		return nil
	})
	if err != nil {
		return Training{}, err
	}
	s.changed(ctx, out.WorkerID)
	return out, nil
}

// List returns one page of the institution's own records matching f, newest posting first.
func (s *Service) List(ctx context.Context, institutionID string, f Filter, p page.Request) (page.Result[Training], error) {
	if f.Status != "" && f.Status != StatusActive && f.Status != StatusVoid {
		return page.Result[Training]{}, errs.Invalid(CodeInvalidStatus, "status must be active or void").
			WithFields(errs.Field("status", CodeInvalidStatus, "active or void"))
	}
	after, err := createdPosition(p)
	if err != nil {
		return page.Result[Training]{}, err
	}
	items, err := s.Store.InstitutionTrainings(ctx, institutionID, f, after, p.Limit+1)
	if err != nil {
		return page.Result[Training]{}, err
	}
	return page.Trim(items, p.Limit, createdKey), nil
}

// ListForWorker returns one page of the records posted for the worker (active and void), the
// latest end date first.
func (s *Service) ListForWorker(ctx context.Context, workerID string, p page.Request) (page.Result[Training], error) {
	after, err := endPosition(p)
	if err != nil {
		return page.Result[Training]{}, err
	}
	items, err := s.Store.WorkerTrainings(ctx, workerID, after, p.Limit+1)
	if err != nil {
		return page.Result[Training]{}, err
	}
	return page.Trim(items, p.Limit, endKey), nil
}

// CountForWorker counts the worker's active (not voided) records, and the passed ones among
// them.
func (s *Service) CountForWorker(ctx context.Context, workerID string) (Counts, error) {
	return s.Store.CountWorkerTrainings(ctx, workerID)
}

// newTraining builds the stored form of a new record.
func (s *Service) newTraining(institutionID, workerID string, rec Record, credits credit.Tenths, now time.Time) Training {
	id := ""
	if s.NewID != nil {
		id = s.NewID()
	} else {
		id = uuid.Must(uuid.NewV7()).String()
	}
	return Training{
		ID: id, InstitutionID: institutionID, WorkerID: workerID, Record: rec, Credits: credits,
		Status: StatusActive, CreatedAt: now, UpdatedAt: now,
	}
}

// credits is what rec earns under the Poster's rules: the amount TrainingsPosted posts for it.
func (s *Service) credits(rec Record) (credit.Tenths, error) {
	if s.Poster == nil || s.Poster.Rules == nil {
		return 0, errs.Internal(errors.New("training: Service.Poster or its Rules is nil"), "ledger not configured")
	}
	return s.Poster.Rules.TrainingCredits(rec.Hours, rec.Passed()), nil
}

// now is the service's clock in UTC at the microsecond precision that storage keeps.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// changed tells the cache, after a commit, which workers changed. The request may be gone by
// then; the invalidation must still happen.
func (s *Service) changed(ctx context.Context, workerIDs ...string) {
	if s.Cache != nil && len(workerIDs) > 0 {
		s.Cache.WorkerChanged(context.WithoutCancel(ctx), workerIDs...)
	}
}

func conflict() error {
	return errs.Conflict(CodeDuplicateConflict, "a different training record with this external_id exists").
		WithFields(errs.Field(FieldExternalID, CodeDuplicateConflict, "already used for a different record"))
}

func notFound() error { return errs.NotFound(CodeNotFound, "no such training record") }

// isDuplicate reports a unique-key clash of a write (a concurrent post won a race).
func isDuplicate(err error) bool {
	return errs.KindOf(err) == errs.KindConflict && errs.CodeOf(err) == CodeDuplicateConflict
}
