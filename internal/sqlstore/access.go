package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"skillrecord/internal/access"
	"skillrecord/internal/errs"
	"skillrecord/internal/keys"
	"skillrecord/internal/pii"
)

// accessAADWhy is the sealing place (associated data) of an access event's purpose.
const accessAADWhy = "access_events.why"

// Limits of an access event's stored fields (the columns of access_events).
const (
	maxAccessWhat = 32
	maxAccessWhy  = 500 // characters
)

// AccessStore is the access log: access_events, one row per read of a worker's data by
// someone else. Like the audit trail it only INSERTs and SELECTs. The purpose (why) is sealed
// with the data keyring, since an admin's typed reason can hold personal data.
type AccessStore struct {
	db   *DB
	data *pii.Keyring
}

var _ access.Store = (*AccessStore)(nil)

// Access returns the access log store on db, sealing purposes with m's data keyring.
func (db *DB) Access(m *keys.Material) *AccessStore { return &AccessStore{db: db, data: m.Data} }

type accessEventRow struct {
	ID        int64 `gorm:"primaryKey"`
	WorkerID  string
	ActorID   string
	ActorRole string
	OrgID     string
	What      string
	WhyEnc    []byte
	RequestID string
	At        time.Time
}

func (accessEventRow) TableName() string { return "access_events" }

// checkAccess reports an event no caller should build (errs.Internal: events come from code).
func checkAccess(e access.Event) error {
	bad := func(format string, args ...any) error {
		return errs.Internal(fmt.Errorf("access: bad event: "+format, args...), "invalid access event")
	}
	switch {
	case e.WorkerID == "" || len(e.WorkerID) > 36:
		return bad("worker id must be 1 to 36 bytes")
	case e.ActorID == "" || len(e.ActorID) > 64:
		return bad("actor id must be 1 to 64 bytes")
	case e.ActorRole == "" || len(e.ActorRole) > 32:
		return bad("actor role must be 1 to 32 bytes")
	case e.What == "" || len(e.What) > maxAccessWhat:
		return bad("what must be 1 to %d bytes", maxAccessWhat)
	case len(e.OrgID) > 36 || len(e.RequestID) > 64:
		return bad("a field is over its length")
	case utf8.RuneCountInString(e.Why) > maxAccessWhy:
		return bad("why over %d characters", maxAccessWhy)
	case e.At.IsZero():
		return bad("no time")
	}
	return nil
}

// RecordAccess appends e, inside the caller's transaction if ctx carries one.
func (s *AccessStore) RecordAccess(ctx context.Context, e access.Event) error {
	return s.RecordAccesses(ctx, []access.Event{e})
}

// accessColumns are the columns an access event is inserted with (id is the table's).
var accessColumns = []string{"worker_id", "actor_id", "actor_role", "org_id", "what", "why_enc", "request_id", "at"}

// RecordAccesses appends many events in one multi-row insert (the group committer's write):
// one statement and, outside a transaction, one round trip with its own commit. It is built
// here rather than by gorm, which walked each row by reflection and asked MariaDB for the new
// ids back (INSERT … RETURNING), which no caller reads.
func (s *AccessStore) RecordAccesses(ctx context.Context, events []access.Event) error {
	if len(events) == 0 {
		return nil
	}
	m := newInsert("access_events", accessColumns, len(events))
	for _, e := range events {
		if err := checkAccess(e); err != nil {
			return err
		}
		var why any // NULL without a purpose
		if e.Why != "" {
			enc, err := s.data.SealString(e.Why, accessAADWhy)
			if err != nil {
				return errs.Internal(err, "seal access_events.why")
			}
			why = enc
		}
		m.row(e.WorkerID, e.ActorID, e.ActorRole, e.OrgID, e.What, why, e.RequestID, e.At.UTC().Truncate(time.Microsecond))
	}
	if _, err := s.db.exec(ctx, m.sql.String(), m.args); err != nil {
		return err
	}
	if s.db.accessWritten != nil {
		s.db.accessWritten(len(events))
	}
	return nil
}

// OnAccessEventsWritten makes every successful access-log write call f with the number of
// events it stored (for a metric). Call it once, before the stores are used.
func (db *DB) OnAccessEventsWritten(f func(n int)) { db.accessWritten = f }

// AccessEvents returns up to limit (≥ 1) of the worker's events with id below beforeID (0 =
// from the newest), newest first.
func (s *AccessStore) AccessEvents(ctx context.Context, workerID string, beforeID int64, limit int) ([]access.Event, error) {
	if limit < 1 {
		return nil, errs.Internal(errors.New("access: AccessEvents limit below 1"), "invalid page")
	}
	q := s.db.conn(ctx).Where("worker_id = ?", workerID)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var rows []accessEventRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]access.Event, len(rows))
	for i, r := range rows {
		e := access.Event{
			ID: r.ID, WorkerID: r.WorkerID, ActorID: r.ActorID, ActorRole: r.ActorRole, OrgID: r.OrgID,
			What: r.What, RequestID: r.RequestID, At: r.At.UTC(),
		}
		if len(r.WhyEnc) > 0 {
			why, err := s.data.OpenString(r.WhyEnc, accessAADWhy)
			if err != nil {
				return nil, errs.Internal(err, "open access_events.why of %d", r.ID)
			}
			e.Why = why
		}
		out[i] = e
	}
	return out, nil
}

// OrgNames returns the names of the organisations among ids that exist, by id (for showing
// who read a worker's data).
func (s *AccessStore) OrgNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []orgRow
	if err := s.db.conn(ctx).Select("id", "name").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
