package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
)

// AuditStore is the audit trail: audit_events, one row per event, and audit_event_workers,
// the workers each event touched. It is append-only by construction: it INSERTs and SELECTs
// and has no method that changes or removes an event (a test greps this file to keep it so),
// and in production the application's database user may do nothing else on these tables.
type AuditStore struct {
	db *DB
}

var _ audit.Store = (*AuditStore)(nil)

// Audit returns the audit trail store on db.
func (db *DB) Audit() *AuditStore { return &AuditStore{db: db} }

type auditEventRow struct {
	ID        int64 `gorm:"primaryKey"`
	At        time.Time
	ActorID   string
	ActorRole string
	OrgID     string
	Action    string
	Target    string
	RequestID string
	ClientIP  string
	Status    int
	Code      string
}

func (auditEventRow) TableName() string { return "audit_events" }

type auditWorkerRow struct {
	EventID  int64
	WorkerID string
}

func (auditWorkerRow) TableName() string { return "audit_event_workers" }

// auditBatch is the number of ids per IN list when reading events' workers.
const auditBatch = 500

// auditWorkerInsert is the number of worker rows per multi-row INSERT: the workers of the
// largest write (a batch of a thousand records) go in one statement.
const auditWorkerInsert = 5000

// Append inserts e and its worker ids (deduplicated) in one transaction of its own (or the
// caller's) and returns its id. It is the middleware's path, for requests whose event was not
// committed with a write (refused, failed and read requests); a write's event is appended by
// WithTx (appendEvent).
func (s *AuditStore) Append(ctx context.Context, e audit.Event) (int64, error) {
	var id int64
	err := s.db.withOwnTx(ctx, func(ctx context.Context) error {
		var err error
		id, err = s.db.appendEvent(ctx, e)
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// appendEvent inserts e and its worker ids (deduplicated, with one multi-row statement) on
// the transaction in ctx and returns its id.
func (db *DB) appendEvent(ctx context.Context, e audit.Event) (int64, error) {
	ids, err := db.appendEvents(ctx, []audit.Event{e})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// sortedUnique returns a sorted copy of ids without repeats.
func sortedUnique(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// Events returns up to limit (≥ 1) events matching f with id below beforeID (0 = from the
// newest), newest first, with their worker ids.
func (s *AuditStore) Events(ctx context.Context, f audit.Filter, beforeID int64, limit int) ([]audit.Event, error) {
	if limit < 1 {
		return nil, errs.Internal(errors.New("audit: Events limit below 1"), "invalid page")
	}
	q := s.db.conn(ctx).Model(&auditEventRow{}).Select("audit_events.*")
	if f.WorkerID != "" {
		q = q.Joins("JOIN audit_event_workers ON audit_event_workers.event_id = audit_events.id AND audit_event_workers.worker_id = ?", f.WorkerID)
	}
	if f.ActorID != "" {
		q = q.Where("audit_events.actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("audit_events.action = ?", f.Action)
	}
	if !f.Since.IsZero() {
		q = q.Where("audit_events.at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("audit_events.at < ?", f.Until.UTC())
	}
	if beforeID > 0 {
		q = q.Where("audit_events.id < ?", beforeID)
	}
	var rows []auditEventRow
	if err := q.Order("audit_events.id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	byEvent := make(map[int64][]string, len(rows))
	for chunk := range slices.Chunk(ids, auditBatch) {
		var ws []auditWorkerRow
		if err := s.db.conn(ctx).Where("event_id IN ?", chunk).Order("event_id, worker_id").Find(&ws).Error; err != nil {
			return nil, translate(err)
		}
		for _, w := range ws {
			byEvent[w.EventID] = append(byEvent[w.EventID], w.WorkerID)
		}
	}
	out := make([]audit.Event, len(rows))
	for i, r := range rows {
		out[i] = audit.Event{
			ID: r.ID, At: r.At.UTC(), ActorID: r.ActorID, ActorRole: r.ActorRole, OrgID: r.OrgID, Action: r.Action,
			Target: r.Target, WorkerIDs: byEvent[r.ID], RequestID: r.RequestID, ClientIP: r.ClientIP,
			Status: r.Status, Code: r.Code,
		}
	}
	return out, nil
}

// appendEvents inserts events and their worker ids (deduplicated) on the transaction in ctx
// and returns their ids, in order. On MariaDB the events are one multi-row INSERT …
// RETURNING id (its rows come back in the order inserted); elsewhere (SQLite's RETURNING
// promises no order, MySQL and TiDB have none) each event is one INSERT and its id the
// statement's last insert id. The workers of all the events are one more statement.
func (db *DB) appendEvents(ctx context.Context, events []audit.Event) ([]int64, error) {
	if len(events) == 0 {
		return nil, nil
	}
	workers := 0
	for _, e := range events {
		if err := e.Check(); err != nil {
			return nil, err
		}
		workers += len(e.WorkerIDs)
	}
	ids, err := db.insertEvents(ctx, events)
	if err != nil {
		return nil, err
	}
	if workers == 0 {
		return ids, nil
	}
	var wins *multiRow
	rows := 0
	for i, e := range events {
		for _, w := range sortedUnique(e.WorkerIDs) {
			if wins == nil {
				wins = db.newLiteralInsert("audit_event_workers", auditWorkerColumns, min(workers, auditWorkerInsert))
			}
			wins.row(ids[i], w)
			if rows++; rows%auditWorkerInsert == 0 {
				if _, err := db.execRows(ctx, wins); err != nil {
					return nil, err
				}
				wins = nil
			}
		}
	}
	if wins != nil {
		if _, err := db.execRows(ctx, wins); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// insertEvents inserts the events' rows and returns their ids, in order.
func (db *DB) insertEvents(ctx context.Context, events []audit.Event) ([]int64, error) {
	ids := make([]int64, 0, len(events))
	if !db.insertReturning {
		for _, e := range events {
			ins := newInsert("audit_events", auditEventColumns, 1)
			eventRow(ins, e)
			res, err := db.exec(ctx, ins.sql.String(), ins.args)
			if err != nil {
				return nil, err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return nil, translate(err)
			}
			ids = append(ids, id)
		}
		return ids, nil
	}
	ins := newInsert("audit_events", auditEventColumns, len(events))
	for _, e := range events {
		eventRow(ins, e)
	}
	ins.sql.WriteString(" RETURNING id") // sent only when insertReturning (MariaDB ≥ 10.5)
	err := db.query(ctx, ins.sql.String(), ins.args, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ids) != len(events) {
		return nil, errs.Internal(errors.New("audit: fewer ids than events"), "audit: %d events inserted, %d ids returned", len(events), len(ids))
	}
	return ids, nil
}

var auditWorkerColumns = []string{"event_id", "worker_id"}

var auditEventColumns = []string{"at", "actor_id", "actor_role", "org_id", "action", "target", "request_id", "client_ip", "status", "code"}

// eventRow appends e's row to an INSERT INTO audit_events (auditEventColumns).
func eventRow(ins *multiRow, e audit.Event) {
	ins.row(e.At.UTC().Truncate(time.Microsecond), e.ActorID, e.ActorRole, e.OrgID, e.Action, e.Target,
		e.RequestID, e.ClientIP, e.Status, e.Code)
}
