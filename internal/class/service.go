package class

import (
	"context"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/access"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
	"skillrecord/internal/worker"
)

// Store keeps classes, their sessions and rosters, their attendance and the supervision flags.
// Its writes join the transaction that WithTx puts in the context.
type Store interface {
	// WithTx runs fn in one transaction carried by ctx (a nested call joins the outer one).
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// CreateClass inserts a class with its sessions and roster. An external_id the institution
	// has used already is errs.Conflict duplicate_conflict.
	CreateClass(ctx context.Context, c Class) error
	// ClassByExternalID returns the institution's class with the external id (roster as
	// worker ids); errs.NotFound when there is none.
	ClassByExternalID(ctx context.Context, institutionID, externalID string) (Class, error)
	// Class returns one class with its sessions and roster (as worker ids); errs.NotFound when
	// there is none.
	Class(ctx context.Context, id string) (Class, error)
	// LockClass is Class, locking the class row until the transaction ends.
	LockClass(ctx context.Context, id string) (Class, error)
	// Members returns the class's roster with each member's registered SSN and name, in the
	// order they joined.
	Members(ctx context.Context, classID string) ([]Member, error)
	// SaveStatus stores c's status, review, cancellation and completion fields and UpdatedAt.
	SaveStatus(ctx context.Context, c Class) error
	// ChangeRoster adds and removes roster members of a class and stores its new roster size.
	ChangeRoster(ctx context.Context, classID string, add, remove []string, at time.Time) error
	// Classes returns up to limit classes matching f (roster as a size only, Roster nil),
	// newest filing first, after the position when given.
	Classes(ctx context.Context, f Filter, after *Position, limit int) ([]Class, error)
	// AddFlag stores a supervision flag.
	AddFlag(ctx context.Context, f Flag) error
	// Flags returns up to limit flags matching f, newest first (At, then ID, descending), with
	// each worker's SSN, after the position when given. f's dates are already instants here.
	Flags(ctx context.Context, f FlagQuery, after *Position, limit int) ([]Flag, error)
	// Attendance counts the sessions each roster member of the class checked into.
	Attendance(ctx context.Context, classID string) (map[string]int, error)
	// WorkerClasses returns up to limit classes with the worker on their roster (sessions
	// read, roster not), newest filing first, after the position when given.
	WorkerClasses(ctx context.Context, workerID string, after *Position, limit int) ([]Class, error)
	// WorkerAttendance counts, for each of the classes, the sessions the worker checked into.
	WorkerAttendance(ctx context.Context, workerID string, classIDs []string) (map[string]int, error)
}

// FlagQuery is a FlagFilter with its dates turned into instants: From ≤ At < To (zero = open).
type FlagQuery struct {
	ClassID  string
	Kind     string
	From, To time.Time
}

// Service is the class use cases: an institution files, reads, lists, changes the roster of
// and cancels its classes; the bureau reviews them, lists them all and lists the supervision
// flags. Session dates and times are read in Location, the bureau's time zone.
type Service struct {
	Store     Store
	Directory worker.Directory // the cardholder registry, for the real-name checks
	Catalogue *Catalogue
	Trainings Trainings   // the training-record path that a completion posts through
	Cache     RecordCache // told which workers' records changed; may be nil
	Access    AccessLog   // the workers' access log, for the bureau's reads; may be nil
	Location  *time.Location
	Now       func() time.Time
	NewID     func() string // nil means UUID v7
	// Approvals is told of each approval in the approval's transaction (the directed
	// training vouchers); may be nil.
	Approvals Approvals
}

// Approvals is told of a class's approval, in the approval's transaction, with the roster as
// the approval sees it; an error undoes the approval.
type Approvals interface {
	Approved(ctx context.Context, c Class) error
}

// Outcome says what a filing did.
type Outcome string

// Outcomes of a filing.
const (
	Created   Outcome = "created"
	Unchanged Outcome = "unchanged"
)

// Get returns one class with its masked-ready roster. institutionID "" is the bureau, which
// may read any class; an institution reads only its own (another's answers 404 like a class
// that does not exist).
func (s *Service) Get(ctx context.Context, institutionID, id string) (Class, error) {
	if !validID(id) {
		return Class{}, notFound()
	}
	c, err := s.Store.Class(ctx, id)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return Class{}, notFound()
	case err != nil:
		return Class{}, err
	case institutionID != "" && c.InstitutionID != institutionID:
		return Class{}, notFound()
	}
	c, err = s.withMembers(ctx, c)
	if err != nil || institutionID != "" {
		return c, err
	}
	reads := make(map[string]string, len(c.Roster))
	for _, m := range c.Roster {
		reads[m.WorkerID] = c.ID
	}
	if err := s.recordReads(ctx, access.WhatAdminClass, reads); err != nil {
		return Class{}, err
	}
	return c, nil
}

// List returns one page of classes matching f, newest filing first. An institution's list
// sets f.InstitutionID to itself.
func (s *Service) List(ctx context.Context, f Filter, p page.Request) (page.Result[Class], error) {
	if f.Status != "" && !IsStatus(f.Status) {
		return page.Result[Class]{}, errs.Invalid(CodeInvalidStatus, "status must be one of filed, approved, rejected, completed, cancelled").
			WithFields(errs.Field("status", CodeInvalidStatus, "not a class status"))
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return page.Result[Class]{}, errs.Invalid(CodeInvalidDateRange, "to must not be before from").
			WithFields(errs.Field("to", CodeInvalidDateRange, "must not be before from"))
	}
	after, err := position(p)
	if err != nil {
		return page.Result[Class]{}, err
	}
	items, err := s.Store.Classes(ctx, f, after, p.Limit+1)
	if err != nil {
		return page.Result[Class]{}, err
	}
	return page.Trim(items, p.Limit, func(c Class) string { return key(c.CreatedAt, c.ID) }), nil
}

// SubsidyCatalogue returns the subsidy catalogue in force.
func (s *Service) SubsidyCatalogue() *Catalogue { return s.Catalogue }

// withMembers fills the roster with the members' registered SSNs and names.
func (s *Service) withMembers(ctx context.Context, c Class) (Class, error) {
	ms, err := s.Store.Members(ctx, c.ID)
	if err != nil {
		return Class{}, err
	}
	c.Roster, c.RosterSize = ms, len(ms)
	return c, nil
}

// changed tells the cache, after a commit, which workers' class lists changed.
func (s *Service) changed(ctx context.Context, workerIDs ...string) {
	if s.Cache != nil && len(workerIDs) > 0 {
		s.Cache.WorkerChanged(context.WithoutCancel(ctx), workerIDs...)
	}
}

// loc is the bureau's time zone: Location, or China Standard Time when none was given.
func (s *Service) loc() *time.Location {
	if s.Location == nil {
		return cst
	}
	return s.Location
}

var cst = time.FixedZone("CST", 8*60*60)

// now is the clock in UTC at the microsecond precision that storage keeps.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func notFound() error { return errs.NotFound(CodeNotFound, "no such class") }

// validID reports whether s has the form of a class id (a UUID).
func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}
