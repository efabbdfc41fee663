package class

import (
	"context"
	"errors"
	"strings"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
)

// maxCodeLen bounds what a phone check-in's code may be (a QR payload is about 80 characters).
const maxCodeLen = 200

// PhoneCheckin is what a worker's phone check-in did: the check-in (new or the one already
// stored for that session) and the class's course name.
type PhoneCheckin struct {
	Checkin
	CourseName string
	Created    bool // false when the worker was checked into that session already
}

// CheckIn checks the worker into the session now under way of the class whose rotating code
// (short code or QR payload) the worker posts.
//
// The code is tried against the worker's own approved classes (one indexed read also brings
// their sessions around today and the worker's check-ins into them), so the happy path costs
// that read, an HMAC or two and one INSERT — shared with the check-ins that arrive at the
// same time when StartGroups was called (checkin_group.go). Refusals, each stored as a
// supervision flag in a transaction of its own (the request's audit event records the
// refusal):
//   - 422 code_invalid: a stale, forged or another class's code, or a code while the worker's
//     own class is in session and the code is not that class's;
//   - 409 not_on_roster: a good code of a class the worker is not on;
//   - 409 outside_session: a good code outside every session's window (15 minutes either side);
//   - 409 overlap: the worker is checked into another class whose session overlaps this one.
func (a *Checkins) CheckIn(ctx context.Context, workerID, rawCode string) (PhoneCheckin, error) {
	code := strings.TrimSpace(rawCode)
	if code == "" {
		return PhoneCheckin{}, errs.Invalid(CodeRequired, "code is required").
			WithFields(errs.Field("code", CodeRequired, "code is required"))
	}
	now := a.now()
	if done, ok, err := a.grouped(ctx, workerID, code, now); ok {
		return done, err
	}
	from, to := days(now, a.Location)
	ens, err := a.Store.Enrolments(ctx, workerID, from, to)
	if err != nil {
		return PhoneCheckin{}, err
	}
	payload, isPayload := PayloadOf(a.Codes, code, now)
	matched := a.matchCode(ens, code, payload, isPayload, now)
	if matched == "" {
		return PhoneCheckin{}, a.refuseCode(ctx, workerID, ens, code, payload, isPayload, IsShortCode(code) && !isPayload, now)
	}
	return a.checkInto(ctx, workerID, matched, ens, now)
}

// matchCode returns the approved class among the worker's enrolments whose current code (a
// short code or a QR payload) code is, or "".
func (a *Checkins) matchCode(ens []Enrolment, code string, payload Payload, isPayload bool, now time.Time) string {
	isShort := !isPayload && IsShortCode(code)
	for _, e := range ens {
		if e.Status != StatusApproved {
			continue
		}
		if (isPayload && payload.Valid && payload.ClassID == e.ClassID) || (isShort && a.Codes.MatchShort(e.ClassID, code, now)) {
			return e.ClassID
		}
	}
	return ""
}

// PayloadOf parses code as a QR payload when it has that form and is not too long.
func PayloadOf(k *Codes, code string, now time.Time) (Payload, bool) {
	if len(code) > maxCodeLen {
		return Payload{}, false
	}
	return k.ParsePayload(code, now)
}

// sessionNow returns the enrolment of class classID whose session's window holds now (nil
// when none does), and the class's course name.
func (a *Checkins) sessionNow(ens []Enrolment, classID string, now time.Time) (*Enrolment, string) {
	course := ""
	for i, e := range ens {
		if e.ClassID != classID {
			continue
		}
		course = e.CourseName
		if e.Session != nil && InWindow(*e.Session, now, a.Location) {
			return &ens[i], course
		}
	}
	return nil, course
}

// overlapping returns another class of ens into whose session, overlapping s, the worker is
// checked in, or "".
func overlapping(ens []Enrolment, classID string, s Session) string {
	for _, e := range ens {
		if e.ClassID != classID && e.Checkin != nil && e.Session != nil && Overlaps(*e.Session, s) {
			return e.ClassID
		}
	}
	return ""
}

// newCheckin is the worker's phone check-in into class classID's session s at now.
func (a *Checkins) newCheckin(workerID, classID string, s *Session, now time.Time) Checkin {
	return Checkin{
		ID: a.newID(), ClassID: classID, WorkerID: workerID, SessionDate: s.Date,
		CheckedInAt: now, Method: MethodPhone, CreatedAt: now,
	}
}

// checkInto checks the worker into the session of class classID whose window holds now.
func (a *Checkins) checkInto(ctx context.Context, workerID, classID string, ens []Enrolment, now time.Time) (PhoneCheckin, error) {
	mine, course := a.sessionNow(ens, classID, now)
	if mine == nil {
		return PhoneCheckin{}, a.refuse(ctx, Flag{Kind: FlagOutsideSession, ClassID: classID, WorkerID: workerID, At: now,
			Detail: "phone check-in outside the window of every session"})
	}
	if mine.Checkin != nil {
		return PhoneCheckin{Checkin: *mine.Checkin, CourseName: course}, nil
	}
	if other := overlapping(ens, classID, *mine.Session); other != "" {
		return PhoneCheckin{}, a.refuse(ctx, Flag{Kind: FlagOverlap, ClassID: classID, WorkerID: workerID, At: now,
			Detail: "phone check-in while checked into class " + other + " whose session overlaps"})
	}
	ck := a.newCheckin(workerID, classID, mine.Session, now)
	audit.Touch(ctx, workerID)
	res := make([]error, 1)
	a.Store.CommitCheckins(ctx, []RequestCheckin{{Ctx: ctx, Checkin: ck}}, res)
	err := res[0]
	if errs.KindOf(err) == errs.KindConflict {
		// A concurrent request of the same worker stored the check-in first: answer with it.
		return a.stored(ctx, workerID, classID, mine.Session.Date, now)
	}
	if err != nil {
		return PhoneCheckin{}, err
	}
	return PhoneCheckin{Checkin: ck, CourseName: course, Created: true}, nil
}

// stored returns the worker's stored check-in into the class's session on date.
func (a *Checkins) stored(ctx context.Context, workerID, classID string, date civil.Date, now time.Time) (PhoneCheckin, error) {
	from, to := days(now, a.Location)
	ens, err := a.Store.Enrolments(ctx, workerID, from, to)
	if err != nil {
		return PhoneCheckin{}, err
	}
	for _, e := range ens {
		if e.ClassID == classID && e.Checkin != nil && e.Checkin.SessionDate == date {
			return PhoneCheckin{Checkin: *e.Checkin, CourseName: e.CourseName}, nil
		}
	}
	return PhoneCheckin{}, errs.Internal(errors.New("a conflicting check-in is not stored"), "check-in of %s", classID)
}

// refuseCode decides why a code that none of the worker's approved classes accepts is refused.
func (a *Checkins) refuseCode(ctx context.Context, workerID string, ens []Enrolment, code string, p Payload, isPayload, isShort bool, now time.Time) error {
	own := ""
	for _, e := range ens {
		if e.Status != StatusApproved {
			continue
		}
		if e.Session != nil && InWindow(*e.Session, now, a.Location) {
			return a.refuse(ctx, Flag{Kind: FlagCodeInvalid, ClassID: e.ClassID, WorkerID: workerID, At: now,
				Detail: "phone check-in with a code that is not this class's current one"})
		}
		if own == "" {
			own = e.ClassID
		}
	}
	other := ""
	switch {
	case isPayload && p.Valid:
		other = p.ClassID
	case isShort:
		from, to := days(now, a.Location)
		ids, err := a.Store.ClassesInSession(ctx, from, to)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if a.Codes.MatchShort(id, code, now) {
				other = id
				break
			}
		}
	}
	if other != "" {
		return a.refuse(ctx, Flag{Kind: FlagNotOnRoster, ClassID: other, WorkerID: workerID, At: now,
			Detail: "phone check-in by a worker who is not on the roster"})
	}
	if own == "" {
		// No class to hold the flag: the worker is on no approved class and the code names none.
		return codeInvalid()
	}
	return a.refuse(ctx, Flag{Kind: FlagCodeInvalid, ClassID: own, WorkerID: workerID, At: now,
		Detail: "phone check-in with a stale, forged or unknown code"})
}

// refuse stores the flag in a transaction of its own (without the request's audit event,
// which the HTTP layer records with the refusal's status and code) and returns the refusal.
func (a *Checkins) refuse(ctx context.Context, f Flag) error {
	f.ID, f.CreatedAt = a.newID(), a.now()
	audit.Touch(ctx, f.WorkerID)
	err := a.Store.WithTx(audit.WithoutEvent(ctx), func(ctx context.Context) error {
		return a.Store.AddFlags(ctx, []Flag{f})
	})
	if err != nil {
		return err
	}
	return refusal(f.Kind)
}

// refusal is the error of a check-in refused with a flag of kind.
func refusal(kind string) error {
	switch kind {
	case FlagCodeInvalid:
		return codeInvalid()
	case FlagOutsideSession:
		return errs.Conflict(kind, "check-ins are open from 15 minutes before a session starts to 15 minutes after it ends")
	case FlagNotOnRoster:
		return errs.Conflict(kind, "the worker is not on the class's roster")
	default:
		return errs.Conflict(kind, "the worker is checked into another class whose session overlaps this one")
	}
}

func codeInvalid() error {
	return errs.Invalid(FlagCodeInvalid, "the code is stale, forged or another class's").
		WithFields(errs.Field("code", FlagCodeInvalid, "not a current class code"))
}
