package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
)

// The attendance of classes (class_checkins): the reads a check-in needs and its inserts.
// Phone check-ins come in groups (class_checkin_group.go): one indexed read for the group
// (EnrolmentsOf: the workers' roster classes, their sessions around today and the workers'
// check-ins into them) and one transaction of multi-row INSERTs.

var _ class.CheckinStore = (*ClassStore)(nil)

type classCheckinRow struct {
	ID          string
	ClassID     string
	WorkerID    string
	SessionDate time.Time
	CheckedInAt time.Time
	Method      string
	CreatedAt   time.Time
}

func (classCheckinRow) TableName() string { return "class_checkins" }

// Enrolments returns the worker's approved and completed classes with their sessions dated
// from..to and the worker's check-ins into them, in one read driven by the roster's worker
// index.
func (s *ClassStore) Enrolments(ctx context.Context, workerID string, from, to civil.Date) ([]class.Enrolment, error) {
	m, err := s.EnrolmentsOf(ctx, []string{workerID}, from, to)
	return m[workerID], err
}

// EnrolmentsOf is Enrolments for several workers in one read (a group of phone check-ins).
func (s *ClassStore) EnrolmentsOf(ctx context.Context, workerIDs []string, from, to civil.Date) (map[string][]class.Enrolment, error) {
	out := make(map[string][]class.Enrolment, len(workerIDs))
	if len(workerIDs) == 0 {
		return out, nil
	}
	// Raw SQL scanned by hand: this read is on the check-in's hot path.
	args := append([]any{class.StatusApproved, class.StatusCompleted, from.Time(), to.Time()}, anys(workerIDs)...)
	err := s.db.query(ctx, enrolmentsSQL+inList(len(workerIDs))+enrolmentsOrder, args, func(rows *sql.Rows) error {
		var (
			e                     class.Enrolment
			workerID              string
			date, at, created     sql.NullTime
			starts, ends, ck, how sql.NullString
		)
		if err := rows.Scan(&workerID, &e.ClassID, &e.CourseName, &e.Status, &date, &starts, &ends, &ck, &at, &how, &created); err != nil {
			return err
		}
		if date.Valid {
			from, err1 := class.ParseClock(starts.String)
			to, err2 := class.ParseClock(ends.String)
			if err1 != nil || err2 != nil {
				return errors.Join(err1, err2)
			}
			e.Session = &class.Session{Date: civil.DateOf(date.Time.UTC()), StartsAt: from, EndsAt: to}
		}
		if ck.Valid && e.Session != nil {
			e.Checkin = &class.Checkin{
				ID: ck.String, ClassID: e.ClassID, WorkerID: workerID, SessionDate: e.Session.Date,
				CheckedInAt: at.Time.UTC(), Method: how.String, CreatedAt: created.Time.UTC(),
			}
		}
		out[workerID] = append(out[workerID], e)
		return nil
	})
	return out, err
}

// enrolmentsSQL drives from the roster's worker index to the classes by primary key, their
// sessions by (class_id, session_date) and the check-ins by their unique key.
const enrolmentsSQL = `SELECT r.worker_id, r.class_id, c.course_name, c.status, s.session_date, s.starts_at, s.ends_at,
	k.id, k.checked_in_at, k.method, k.created_at
FROM class_roster AS r
JOIN classes AS c ON c.id = r.class_id AND c.status IN (?, ?)
LEFT JOIN class_sessions AS s ON s.class_id = r.class_id AND s.session_date BETWEEN ? AND ?
LEFT JOIN class_checkins AS k ON k.class_id = r.class_id AND k.worker_id = r.worker_id AND k.session_date = s.session_date
WHERE r.worker_id IN `

const enrolmentsOrder = ` ORDER BY r.worker_id, r.class_id, s.session_date`

// ClassesInSession returns the approved classes holding a session dated from..to (through the
// sessions' date index).
func (s *ClassStore) ClassesInSession(ctx context.Context, from, to civil.Date) ([]string, error) {
	var ids []string
	err := s.db.conn(ctx).Table("class_sessions AS s").Distinct("s.class_id").
		Joins("JOIN classes AS c ON c.id = s.class_id AND c.status = ?", class.StatusApproved).
		Where("s.session_date BETWEEN ? AND ?", from.Time(), to.Time()).
		Pluck("s.class_id", &ids).Error
	return ids, translate(err)
}

// Overlapping returns, among workerIDs, those checked into a class other than classID whose
// session on the same date shares some time with sess (through the check-ins' worker index).
func (s *ClassStore) Overlapping(ctx context.Context, workerIDs []string, classID string, sess class.Session) (map[string]bool, error) {
	var ids []string
	err := s.db.conn(ctx).Table("class_checkins AS k").Distinct("k.worker_id").
		Joins("JOIN class_sessions AS s ON s.class_id = k.class_id AND s.session_date = k.session_date").
		Where("k.worker_id IN ? AND k.session_date = ? AND k.class_id <> ?", workerIDs, sess.Date.Time(), classID).
		Where("s.starts_at < ? AND s.ends_at > ?", sess.EndsAt.String(), sess.StartsAt.String()).
		Pluck("k.worker_id", &ids).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// AddCheckins inserts check-ins in one statement; a worker already checked into the session
// keeps the stored row (idempotent). It returns the number of rows inserted.
func (s *ClassStore) AddCheckins(ctx context.Context, cs []class.Checkin) (int, error) {
	rows := make([]classCheckinRow, len(cs))
	for i, c := range cs {
		rows[i] = classCheckinRow{
			ID: c.ID, ClassID: c.ClassID, WorkerID: c.WorkerID, SessionDate: c.SessionDate.Time(),
			CheckedInAt: c.CheckedInAt.UTC(), Method: c.Method, CreatedAt: c.CreatedAt.UTC(),
		}
	}
	res := s.db.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
	return int(res.RowsAffected), translate(res.Error)
}

// AddFlags stores supervision flags in one statement.
func (s *ClassStore) AddFlags(ctx context.Context, fs []class.Flag) error {
	rows := make([]supervisionFlagRow, len(fs))
	for i, f := range fs {
		rows[i] = supervisionFlagRow{
			ID: f.ID, Kind: f.Kind, ClassID: f.ClassID, WorkerID: sql.NullString{String: f.WorkerID, Valid: f.WorkerID != ""},
			At: f.At.UTC(), Detail: f.Detail, CreatedAt: f.CreatedAt.UTC(),
		}
	}
	return translate(s.db.conn(ctx).Create(&rows).Error)
}
