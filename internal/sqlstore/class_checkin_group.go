package sqlstore

import (
	"context"
	"errors"

	"skillrecord/internal/audit"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
)

// Phone check-ins are the morning burst of a whole city, each a one-row write with its
// request's audit event. Alone, each would pay a transaction of five round trips (BEGIN, the
// check-in, the event, its worker, COMMIT) and a log flush. CommitCheckins writes a group of
// them (class.Checkins gathers the check-ins that arrive together) in one transaction, one
// multi-row INSERT per table, each check-in with its own request's audit event.

// CommitCheckins stores the check-ins, each with its request's audit event (and the workers
// the request touched, audit.Touch), in one transaction, and sets each one's outcome in
// results (as long as items). When one of them clashes with a stored check-in (the worker was
// checked into that session meanwhile), the group is rolled back and each is written alone,
// so that each hears its own outcome: errs.Conflict for the clash. ctx carries no transaction
// and bounds the writes; the items' contexts only carry their requests' audit events.
func (s *ClassStore) CommitCheckins(ctx context.Context, items []class.RequestCheckin, results []error) {
	if InTx(ctx) {
		err := errs.Internal(errNestedGroup, "check-in group")
		for i := range results {
			results[i] = err
		}
		return
	}
	s.db.writeCheckins(ctx, items, results)
}

var errNestedGroup = errors.New("a group of check-ins cannot join a transaction")

// writeCheckins writes one group. When some check-in of the group clashes with a stored one
// (the worker checked in by another request meanwhile), the group is rolled back and each of
// its check-ins is written alone, so that each caller hears its own outcome.
func (db *DB) writeCheckins(ctx context.Context, group []class.RequestCheckin, results []error) {
	err := db.commitCheckins(ctx, group)
	if err != nil && len(group) > 1 && errs.KindOf(err) == errs.KindConflict {
		for i := range group {
			results[i] = db.commitCheckins(ctx, group[i:i+1])
		}
		return
	}
	for i := range results {
		results[i] = err
	}
}

// commitCheckins stores the group's check-ins and their requests' audit events in one
// transaction, retried like WithTx's when the database refuses it for a passing reason.
func (db *DB) commitCheckins(ctx context.Context, group []class.RequestCheckin) error {
	for attempt := 1; ; attempt++ {
		err := db.commitCheckinsOnce(ctx, group)
		if err == nil || attempt == txAttempts || ctx.Err() != nil || !IsRetryable(err) {
			return err
		}
		db.txRetries.Add(1)
		retryPause(attempt)
	}
}

// commitCheckinsOnce is one attempt: the requests' pending audit events are taken, written
// after the check-ins and settled with the transaction's outcome.
func (db *DB) commitCheckinsOnce(ctx context.Context, group []class.RequestCheckin) error {
	pending := make([]*audit.Pending, 0, len(group))
	var ids []int64
	defer func() { // also when the write panics: the events are free for a later transaction
		for i, p := range pending {
			if ids != nil {
				p.Settle(ids[i], true)
			} else {
				p.Settle(0, false)
			}
		}
	}()
	for _, it := range group {
		if p, ok := audit.PendingIn(it.Ctx); ok {
			pending = append(pending, p)
		}
	}
	var written []int64
	err := db.runTx(audit.WithoutEvent(ctx), nil, func(ctx context.Context) error {
		ins := newInsert("class_checkins", checkinColumns, len(group))
		for _, it := range group {
			c := it.Checkin
			ins.row(c.ID, c.ClassID, c.WorkerID, c.SessionDate.Time(), c.CheckedInAt.UTC(), c.Method, c.CreatedAt.UTC())
		}
		if _, err := db.exec(ctx, ins.sql.String(), ins.args); err != nil {
			return err
		}
		events := make([]audit.Event, len(pending))
		for i, p := range pending {
			events[i] = p.Event
		}
		var err error
		written, err = db.appendEvents(ctx, events)
		return err
	})
	if err == nil {
		ids = written
		if ids == nil {
			ids = []int64{}
		}
	}
	return err
}

var checkinColumns = []string{"id", "class_id", "worker_id", "session_date", "checked_in_at", "method", "created_at"}
