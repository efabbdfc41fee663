package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
)

// Outbox is the event outbox (event_outbox): the relay reads the unsent rows in id order and
// marks them sent; the pull feed pages through every row in id order.
type Outbox struct {
	db *DB
}

// Outbox returns the event outbox on db.
func (db *DB) Outbox() *Outbox { return &Outbox{db: db} }

// outboxColumns are the columns appendOutbox fills, in the order of its values.
var outboxColumns = []string{"event_id", "kind", "at", "worker_ref", "org_id", "subject_id", "data"}

// outboxInsert is the number of events per multi-row INSERT: a batch of a thousand records
// emits its training.posted and credits.posted events in one statement each thousand.
const outboxInsert = 2000

// appendOutbox stores the events a transaction emitted, on that transaction, just before its
// commit (WithTx). On MySQL it first updates the row of event_outbox_order, locked until the
// commit, so that outbox ids are taken in commit order (see migration 00023); SQLite has one
// writer at a time already.
func (db *DB) appendOutbox(ctx context.Context, events []event.Event) error {
	if len(events) == 0 {
		return nil
	}
	pool := db.conn(ctx).Statement.ConnPool
	if db.dialect == MySQL {
		// A write rather than SELECT … FOR UPDATE: Galera certifies writes across its nodes
		// (a concurrent commit on another node aborts one of the two, to be retried), while a
		// read lock holds on one node only.
		if _, err := pool.ExecContext(ctx, "UPDATE event_outbox_order SET commits = commits + 1 WHERE id = 1"); err != nil {
			return translate(err)
		}
	}
	for start := 0; start < len(events); start += outboxInsert {
		chunk := events[start:min(start+outboxInsert, len(events))]
		args := make([]any, 0, len(chunk)*len(outboxColumns))
		for _, e := range chunk {
			if !event.KnownKind(e.Kind) || e.SubjectID == "" {
				return errs.Internal(fmt.Errorf("event kind %q, subject %q", e.Kind, e.SubjectID), "event without a known kind or a subject")
			}
			args = append(args, e.ID, e.Kind, e.At.UTC(), e.WorkerRef, e.OrgID, e.SubjectID, string(e.Data))
		}
		if _, err := pool.ExecContext(ctx, insertSQL("event_outbox", outboxColumns, len(chunk)), args...); err != nil {
			return translate(err)
		}
	}
	return nil
}

const outboxSelect = "SELECT id, event_id, kind, at, worker_ref, org_id, subject_id, data FROM event_outbox "

// Unsent returns up to limit events not yet marked sent after outbox position after (0 = from
// the start), in outbox order.
func (o *Outbox) Unsent(ctx context.Context, after int64, limit int) ([]event.Event, error) {
	return o.query(ctx, outboxSelect+"WHERE sent_at IS NULL AND id > ? ORDER BY id LIMIT ?", after, limit)
}

// MarkSent marks the events at the outbox positions first…last sent at at, with one statement
// over the primary key. The caller passes a range of Unsent's answers: as outbox ids are taken
// in commit order, no other unsent row lies in it.
func (o *Outbox) MarkSent(ctx context.Context, first, last int64, at time.Time) error {
	_, err := o.db.conn(ctx).Statement.ConnPool.ExecContext(ctx,
		"UPDATE event_outbox SET sent_at = ? WHERE id >= ? AND id <= ? AND sent_at IS NULL", at.UTC(), first, last)
	return translate(err)
}

// After returns up to limit events after outbox position after (0 = from the start), in
// outbox order, only of the given kinds when kinds is not empty.
func (o *Outbox) After(ctx context.Context, after int64, kinds []string, limit int) ([]event.Event, error) {
	q := outboxSelect + "WHERE id > ?"
	args := []any{after}
	if len(kinds) > 0 {
		q += " AND kind IN (" + placeholders(len(kinds)) + ")"
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	args = append(args, limit)
	return o.query(ctx, q+" ORDER BY id LIMIT ?", args...)
}

// CountUnsent counts the events not yet marked sent (for metrics and tests).
func (o *Outbox) CountUnsent(ctx context.Context) (int64, error) {
	var n int64
	err := o.db.conn(ctx).Statement.ConnPool.QueryRowContext(ctx, "SELECT COUNT(*) FROM event_outbox WHERE sent_at IS NULL").Scan(&n)
	return n, translate(err)
}

func (o *Outbox) query(ctx context.Context, q string, args ...any) ([]event.Event, error) {
	rows, err := o.db.conn(ctx).Statement.ConnPool.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []event.Event
	for rows.Next() {
		var (
			e    event.Event
			at   sql.NullTime
			data string
		)
		if err := rows.Scan(&e.Seq, &e.ID, &e.Kind, &at, &e.WorkerRef, &e.OrgID, &e.SubjectID, &data); err != nil {
			return nil, translate(err)
		}
		e.At = at.Time.UTC()
		e.ID = strings.TrimSpace(e.ID)
		e.Data = []byte(data)
		out = append(out, e)
	}
	return out, translate(rows.Err())
}
