package class

import (
	"context"
	"errors"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
	"skillrecord/internal/groupcommit"
)

// Phone check-ins come in a burst: a whole city's trainees within minutes of their sessions'
// start. Checked one at a time, each costs a read of the worker's enrolments and a
// transaction of its own. With StartGroups, the check-ins that arrive while a group is being
// written are taken together: one read of all their workers' enrolments, and the clean ones
// — a code of one of the worker's own approved classes, inside that session's window, not
// checked in yet, no overlapping check-in — stored in one transaction with their requests'
// audit events (CheckinStore.CommitCheckins). Nothing answers before its commit. Anything
// else (a refusal with its supervision flag, a repeat, an overlap, a clash with a concurrent
// check-in of the same worker) goes back to its request, which decides it alone as before.

// GroupOptions are the defaults for StartGroups: two writers, so that one group is written
// while the next gathers (with 32 check-ins in flight, groups of about 7; four writers made
// groups of 4 and were slower, one writer made callers wait for a whole group), groups of at
// most 200, a bounded queue (callers wait for room).
var GroupOptions = groupcommit.Options{Writers: 2, MaxGroup: 200, Queue: 2000, Timeout: 10 * time.Second}

// phoneAttempt is one phone check-in waiting for its group, and what the group decided.
type phoneAttempt struct {
	ctx      context.Context // the request's: its audit event goes in with the check-in
	workerID string
	code     string
	now      time.Time
	done     PhoneCheckin // set when the group stored the check-in
}

// errAlone tells a request that its check-in was not a clean one and must be decided alone.
var errAlone = errors.New("class: check-in decided alone")

// StartGroups makes phone check-ins go through group commit with options o; Close stops it.
// Call it once, before the first check-in.
func (a *Checkins) StartGroups(o groupcommit.Options) {
	a.group = groupcommit.New(a.writeGroup, o)
}

// Close stops the group commit (answering the check-ins it holds), if started.
func (a *Checkins) Close() {
	if a.group != nil {
		a.group.Close()
	}
}

// grouped tries the check-in through the group commit. ok is false when the check-in must be
// decided alone (no group commit, or not a clean one).
func (a *Checkins) grouped(ctx context.Context, workerID, code string, now time.Time) (PhoneCheckin, bool, error) {
	if a.group == nil {
		return PhoneCheckin{}, false, nil
	}
	p := &phoneAttempt{ctx: ctx, workerID: workerID, code: code, now: now}
	switch err := a.group.Submit(ctx, p); {
	case err == nil:
		return p.done, true, nil
	case errors.Is(err, errAlone), errors.Is(err, groupcommit.ErrClosed):
		return PhoneCheckin{}, false, nil
	default:
		return PhoneCheckin{}, true, err
	}
}

// writeGroup is the group commit's write: one read of the group's enrolments, then the clean
// check-ins in one transaction.
func (a *Checkins) writeGroup(ctx context.Context, group []*phoneAttempt, results []error) {
	workers := make([]string, 0, len(group))
	first, last := group[0].now, group[0].now
	for _, p := range group {
		workers = append(workers, p.workerID)
		first, last = earliest(first, p.now), latest(last, p.now)
	}
	from, _ := days(first, a.Location)
	_, to := days(last, a.Location)
	ens, err := a.Store.EnrolmentsOf(ctx, workers, from, to)
	if err != nil {
		for i := range results {
			results[i] = err
		}
		return
	}
	items := make([]RequestCheckin, 0, len(group))
	at := make([]int, 0, len(group)) // the group index of each item
	for i, p := range group {
		ck, course, ok := a.clean(p.workerID, ens[p.workerID], p.code, p.now)
		if !ok || containsWorker(items, p.workerID) {
			results[i] = errAlone
			continue
		}
		audit.Touch(p.ctx, p.workerID)
		p.done = PhoneCheckin{Checkin: ck, CourseName: course, Created: true}
		items = append(items, RequestCheckin{Ctx: p.ctx, Checkin: ck})
		at = append(at, i)
	}
	if len(items) == 0 {
		return
	}
	out := make([]error, len(items))
	a.Store.CommitCheckins(ctx, items, out)
	for j, err := range out {
		if errs.KindOf(err) == errs.KindConflict {
			err = errAlone // checked in meanwhile by a concurrent request: answered alone, with it
		}
		results[at[j]] = err
	}
}

// clean returns the check-in that code admits the worker to when the worker's enrolments ens
// make it a clean one: the code is one of the worker's approved classes', a session of that
// class holds now in its window, the worker is not checked into it yet and not into another
// class's overlapping session. ok is false otherwise.
func (a *Checkins) clean(workerID string, ens []Enrolment, code string, now time.Time) (Checkin, string, bool) {
	payload, isPayload := PayloadOf(a.Codes, code, now)
	classID := a.matchCode(ens, code, payload, isPayload, now)
	if classID == "" {
		return Checkin{}, "", false
	}
	mine, course := a.sessionNow(ens, classID, now)
	if mine == nil || mine.Checkin != nil || overlapping(ens, classID, *mine.Session) != "" {
		return Checkin{}, "", false
	}
	return a.newCheckin(workerID, classID, mine.Session, now), course, true
}

func containsWorker(items []RequestCheckin, workerID string) bool {
	for _, it := range items {
		if it.Checkin.WorkerID == workerID {
			return true
		}
	}
	return false
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// GroupStats returns how many groups the phone check-ins' group commit has written and how
// many check-ins they carried (zeros without StartGroups).
func (a *Checkins) GroupStats() (groups, checkins uint64) {
	if a.group == nil {
		return 0, 0
	}
	return a.group.Stats()
}
