package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"skillrecord/internal/event"
)

// Outbox is the event outbox (event_outbox): the relay reads the unsent events in outbox
// order and marks them sent; the pull feed pages through every event in outbox order. A row
// holds one event or a bundle of them (outbox_bundle.go); an event's position is
// event.Seq(row id, index in the row).
type Outbox struct {
	db *DB
}

// Outbox returns the event outbox on db.
func (db *DB) Outbox() *Outbox { return &Outbox{db: db} }

// outboxColumns are the columns appendOutbox fills, in the order of its values.
var outboxColumns = []string{"event_id", "kind", "at", "worker_ref", "org_id", "subject_id", "data", "events"}

// appendOutbox stores the events a transaction emitted, on that transaction, just before its
// commit (WithTx): pack gives their rows — each run of consecutive events of one kind as one
// row (runs; txState.outboxRows, which may have packed some ahead) — stored with one
// multi-row INSERT per outboxBundle events. On MySQL it first updates the row of
// event_outbox_order, locked until the commit, so that outbox ids are taken in commit order
// (see migration 00023); SQLite has one writer at a time already.
func (db *DB) appendOutbox(ctx context.Context, pack func() ([]outboxRow, error)) error {
	rows, err := pack()
	if err != nil || len(rows) == 0 {
		return err
	}
	if err := awaitBackground(ctx); err != nil {
		return err
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
	for start := 0; start < len(rows); {
		end, n := start, 0
		for end < len(rows) && (end == start || n+rows[end].events <= outboxBundle) {
			n += rows[end].events
			end++
		}
		chunk := rows[start:end]
		args := make([]any, 0, len(chunk)*len(outboxColumns))
		for _, r := range chunk {
			e := r.first
			args = append(args, e.ID, e.Kind, e.At.UTC(), e.WorkerRef, e.OrgID, e.SubjectID, r.data, r.events)
		}
		if _, err := pool.ExecContext(ctx, insertSQL("event_outbox", outboxColumns, len(chunk)), args...); err != nil {
			return translate(err)
		}
		start = end
	}
	return nil
}

// Unsent returns up to limit events not yet marked sent after outbox position after (0 = from
// the start), in outbox order. A bundle is unsent until all of it is marked, so after may lie
// inside it.
func (o *Outbox) Unsent(ctx context.Context, after int64, limit int) ([]event.Event, error) {
	return o.read(ctx, after, "sent_at IS NULL", nil, limit)
}

// MarkSent marks the rows of the events at the outbox positions first…last sent at at, with
// one statement over the primary key; the row of last only when last is its last event (the
// rest of a bundle follows in a later range, which then marks it). The caller passes a range
// of Unsent's answers whose events JetStream acknowledged, in order from the first event of
// first's row: as outbox ids are taken in commit order, no other unsent row lies in it.
func (o *Outbox) MarkSent(ctx context.Context, first, last int64, at time.Time) error {
	lastRow := event.RowOf(last)
	_, err := o.db.conn(ctx).Statement.ConnPool.ExecContext(ctx,
		"UPDATE event_outbox SET sent_at = ? WHERE id >= ? AND id <= ? AND sent_at IS NULL AND (id < ? OR events = ?)",
		at.UTC(), event.RowOf(first), lastRow, lastRow, event.IndexOf(last)+1)
	return translate(err)
}

// After returns up to limit events after outbox position after (0 = from the start), in
// outbox order, only of the given kinds when kinds is not empty.
func (o *Outbox) After(ctx context.Context, after int64, kinds []string, limit int) ([]event.Event, error) {
	if len(kinds) == 0 {
		return o.read(ctx, after, "", nil, limit)
	}
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k
	}
	return o.read(ctx, after, "kind IN ("+placeholders(len(kinds))+")", args, limit)
}

// CountUnsent counts the events not yet marked sent (for metrics and tests).
func (o *Outbox) CountUnsent(ctx context.Context) (int64, error) {
	var n int64
	err := o.db.conn(ctx).Statement.ConnPool.QueryRowContext(ctx,
		"SELECT COALESCE(SUM(events), 0) FROM event_outbox WHERE sent_at IS NULL").Scan(&n)
	return n, translate(err)
}

// read returns up to limit events after position after from the rows that cond (with its
// args; empty: every row) selects. It first reads which rows and how many events each holds,
// to fetch only the rows the page needs (a bundle's data is large), then those rows.
func (o *Outbox) read(ctx context.Context, after int64, cond string, condArgs []any, limit int) ([]event.Event, error) {
	if limit <= 0 {
		return nil, nil
	}
	where := "WHERE id >= ?"
	if cond != "" {
		where += " AND " + cond
	}
	afterRow, afterIndex := event.RowOf(after), event.IndexOf(after)
	args := append(append([]any{afterRow}, condArgs...), limit+1)
	var ids []any
	need := limit
	err := o.db.query(ctx, "SELECT id, events FROM event_outbox "+where+" ORDER BY id LIMIT ?", args, func(rs *sql.Rows) error {
		var id int64
		var n int
		if err := rs.Scan(&id, &n); err != nil {
			return err
		}
		if id == afterRow {
			n -= afterIndex + 1
		}
		if n > 0 && need > 0 {
			ids = append(ids, id)
			need -= n
		}
		return nil
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var out []event.Event
	err = o.db.query(ctx, "SELECT id, event_id, kind, at, worker_ref, org_id, subject_id, data, events FROM event_outbox WHERE id IN "+
		inList(len(ids))+" ORDER BY id", ids, func(rs *sql.Rows) error {
		var (
			r  outboxRow
			at sql.NullTime
		)
		if err := rs.Scan(&r.id, &r.first.ID, &r.first.Kind, &at, &r.first.WorkerRef, &r.first.OrgID, &r.first.SubjectID, &r.data, &r.events); err != nil {
			return err
		}
		r.first.At = at.Time.UTC()
		r.first.ID = strings.TrimSpace(r.first.ID)
		events, err := r.expand(after)
		out = append(out, events...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out[:min(len(out), limit)], nil
}
