package class

import (
	"context"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/civil"
	"skillrecord/internal/groupcommit"
	"skillrecord/internal/worker"
)

// Check-in methods: the institution's devices and sheets, and the worker's phone.
const (
	MethodCardReader = "card_reader"
	MethodFaceDevice = "face_device"
	MethodSignSheet  = "sign_sheet"
	MethodManual     = "manual"
	MethodPhone      = "phone" // the rotating class code; never posted by an institution
)

// CheckinWindow is how long before a session starts and after it ends a check-in is good.
const CheckinWindow = 15 * time.Minute

// MaxCheckinEntries bounds one bulk check-in.
const MaxCheckinEntries = 1000

// Checkin is one worker's attendance at one session of a class.
type Checkin struct {
	ID          string
	ClassID     string
	WorkerID    string
	SessionDate civil.Date
	CheckedInAt time.Time
	Method      string
	CreatedAt   time.Time
}

// RequestCheckin is a phone check-in with the context of the request that makes it, which
// carries the request's audit event.
type RequestCheckin struct {
	Ctx     context.Context
	Checkin Checkin
}

// Enrolment is one of a worker's approved roster classes with its session (if any) on the
// dates asked for, and whether the worker has checked into that session already.
type Enrolment struct {
	ClassID    string
	CourseName string
	Status     string   // approved, or completed (kept for the overlap rule only)
	Session    *Session // nil when the class holds no session on those dates
	Checkin    *Checkin // the worker's check-in into that session, nil when none
}

// CheckinStore keeps the attendance of classes. Its writes join the transaction of WithTx.
type CheckinStore interface {
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// Class returns one class with its sessions and roster (as worker ids).
	Class(ctx context.Context, id string) (Class, error)
	// Enrolments returns the worker's approved and completed classes (by roster) with their
	// sessions dated from..to and the worker's check-ins into them, in one indexed read: a
	// class without such a session comes once with Session nil, a class with two comes twice.
	Enrolments(ctx context.Context, workerID string, from, to civil.Date) ([]Enrolment, error)
	// ClassesInSession returns the ids of the approved classes holding a session dated
	// from..to (only for a code that none of the worker's classes accepts).
	ClassesInSession(ctx context.Context, from, to civil.Date) ([]string, error)
	// Overlapping returns, among workerIDs, those checked into a class other than classID
	// whose session on s's date overlaps s.
	Overlapping(ctx context.Context, workerIDs []string, classID string, s Session) (map[string]bool, error)
	// EnrolmentsOf is Enrolments for several workers in one read, by worker id.
	EnrolmentsOf(ctx context.Context, workerIDs []string, from, to civil.Date) (map[string][]Enrolment, error)
	// CommitCheckins stores phone check-ins, each with its request's audit event (the
	// workers announced by audit.Touch in its Ctx), in one transaction, and sets each one's
	// outcome in results (as long as items): errs.Conflict for a worker already checked into
	// the session. ctx must carry no transaction.
	CommitCheckins(ctx context.Context, items []RequestCheckin, results []error)
	// AddCheckins inserts check-ins, leaving out those of a worker already checked into the
	// same session (idempotent); it returns how many rows it inserted.
	AddCheckins(ctx context.Context, cs []Checkin) (int, error)
	// AddFlags stores supervision flags.
	AddFlags(ctx context.Context, fs []Flag) error
}

// Checkins is the check-in use cases (过程监督): the institution's bulk check-ins, the
// classroom's rotating code and the worker's phone check-in. Every refusal is recorded as a
// supervision flag. Session dates and times are read in Location.
type Checkins struct {
	Store     CheckinStore
	Directory worker.Directory
	Codes     *Codes
	Location  *time.Location
	Now       func() time.Time
	NewID     func() string // nil means UUID v7

	group *groupcommit.Committer[*phoneAttempt] // nil until StartGroups: each check-in alone
}

func (a *Checkins) now() time.Time { return a.Now().UTC().Truncate(time.Microsecond) }

func (a *Checkins) newID() string {
	if a.NewID != nil {
		return a.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}

// Window is the span in which a check-in for session s is good: from CheckinWindow before it
// starts to CheckinWindow after it ends, both ends included.
func Window(s Session, loc *time.Location) (from, to time.Time) {
	return s.Start(loc).Add(-CheckinWindow), s.End(loc).Add(CheckinWindow)
}

// InWindow reports whether t falls in s's check-in window. Like the session's HH:MM times, t
// is read to the minute: a check-in at 12:15:40 is one at 12:15, in time for a session that
// ended at 12:00, and one at 12:16 is not.
func InWindow(s Session, t time.Time, loc *time.Location) bool {
	from, to := Window(s, loc)
	m := t.Truncate(time.Minute)
	return !m.Before(from) && !m.After(to)
}

// Overlaps reports whether two sessions share some time (touching ends do not overlap).
func Overlaps(a, b Session) bool {
	return a.Date == b.Date && a.StartsAt < b.EndsAt && b.StartsAt < a.EndsAt
}

// days returns the local dates before and after t's (a window may cross midnight).
func days(t time.Time, loc *time.Location) (civil.Date, civil.Date) {
	l := t.In(loc)
	from := time.Date(l.Year(), l.Month(), l.Day()-1, 0, 0, 0, 0, time.UTC)
	return civil.DateOf(from), civil.DateOf(from.AddDate(0, 0, 2))
}
