package credit

import (
	"context"
	"math"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// ConversionRecord is a stored conversion.
type ConversionRecord struct {
	ID              string
	CollegeID       string
	ExternalID      string
	WorkerID        string
	Credits         Tenths
	Program         string
	AcademicCredits float64
	BalanceAfter    Tenths
	CreatedAt       time.Time
}

// same reports whether a retried request asks for the same conversion.
func (c ConversionRecord) same(o ConversionRecord) bool {
	return c.WorkerID == o.WorkerID && c.Credits == o.Credits && c.Program == o.Program &&
		math.Abs(c.AcademicCredits-o.AcademicCredits) < 0.005
}

// ConversionStore keeps conversions.
type ConversionStore interface {
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	ConversionByExternalID(ctx context.Context, collegeID, externalID string) (ConversionRecord, error)
	CreateConversion(ctx context.Context, c ConversionRecord) error
}

// RecordCache is told which workers' records changed after a commit.
type RecordCache interface {
	WorkerChanged(ctx context.Context, workerIDs ...string)
}

// Converter is the college's credit conversion use case.
type Converter struct {
	Store     ConversionStore
	Directory worker.Directory
	Poster    *Poster
	Cache     RecordCache // may be nil
	Now       func() time.Time
}

// ConversionInput is a conversion as a college submits it.
type ConversionInput struct {
	Conversion
	SSN  string
	Name string
}

// Convert debits a worker's credits for a college programme. A retry with the same external
// id and content answers the stored conversion (created false); different content is a
// duplicate_conflict. A short balance is insufficient_credits and writes nothing.
func (s *Converter) Convert(ctx context.Context, collegeID string, in ConversionInput) (ConversionRecord, bool, error) {
	var fields []errs.FieldError
	ssn, err := identity.ParseSSN(in.SSN, s.Now())
	if err != nil {
		fields = append(fields, errs.Field("ssn", "invalid_ssn", "a valid 18-character social security number"))
	}
	if _, err := worker.ParseName(in.Name); err != nil {
		fields = append(fields, errs.Field("name", "invalid_name", "the holder's registered name"))
	}
	conv, cfields := in.Validate()
	fields = append(fields, cfields...)
	if len(fields) > 0 {
		return ConversionRecord{}, false, errs.Invalid(fields[0].Code, "the conversion is not valid").WithFields(fields...)
	}
	known, err := s.Directory.Identify(ctx, []identity.SSN{ssn})
	if err != nil {
		return ConversionRecord{}, false, err
	}
	workerID, code := worker.CheckRealName(s.Directory, known, ssn, in.Name)
	if code != "" {
		return ConversionRecord{}, false, worker.RealNameError(code)
	}
	rec := ConversionRecord{
		ID: uuid.Must(uuid.NewV7()).String(), CollegeID: collegeID, ExternalID: conv.ExternalID, WorkerID: workerID,
		Credits: conv.Credits, Program: conv.Program, AcademicCredits: conv.AcademicCredits, CreatedAt: s.Now().UTC(),
	}
	if prev, found, err := s.existing(ctx, collegeID, rec); found || err != nil {
		return prev, false, err
	}
	err = s.Store.WithTx(event.WithOrg(ctx, collegeID), func(ctx context.Context) error {
		entry, err := s.Poster.Convert(ctx, workerID, rec.ID, rec.Credits)
		if err != nil {
			return err
		}
		rec.BalanceAfter = entry.BalanceAfter
		return s.Store.CreateConversion(ctx, rec)
	})
	if errs.KindOf(err) == errs.KindConflict && errs.CodeOf(err) == "duplicate_conflict" {
		// A concurrent retry won the race: answer as a retry.
		prev, found, err := s.existing(ctx, collegeID, rec)
		if found || err != nil {
			return prev, false, err
		}
	}
	if err != nil {
		return ConversionRecord{}, false, err
	}
	if s.Cache != nil {
		s.Cache.WorkerChanged(ctx, workerID)
	}
	return rec, true, nil
}

// existing finds an earlier conversion with the same external id: the same content is a
// retry, other content a conflict.
func (s *Converter) existing(ctx context.Context, collegeID string, rec ConversionRecord) (ConversionRecord, bool, error) {
	prev, err := s.Store.ConversionByExternalID(ctx, collegeID, rec.ExternalID)
	if errs.KindOf(err) == errs.KindNotFound {
		return ConversionRecord{}, false, nil
	}
	if err != nil {
		return ConversionRecord{}, false, err
	}
	if !prev.same(rec) {
		return ConversionRecord{}, true, errs.Conflict("duplicate_conflict", "a different conversion with this external_id exists").
			WithFields(errs.Field("external_id", "duplicate_conflict", "already used for a different conversion"))
	}
	return prev, true, nil
}
