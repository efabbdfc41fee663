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
// A phone check-in costs one indexed read (Enrolments: the worker's roster classes, their
// sessions around today and the worker's check-ins into them) and one INSERT.

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
	// Raw SQL scanned by hand: this read is on the check-in's hot path.
	rows, err := s.db.conn(ctx).Raw(enrolmentsSQL, class.StatusApproved, class.StatusCompleted, from.Time(), to.Time(), workerID).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []class.Enrolment
	for rows.Next() {
		var (
			e                     class.Enrolment
			date, at, created     sql.NullTime
			starts, ends, ck, how sql.NullString
		)
		if err := rows.Scan(&e.ClassID, &e.CourseName, &e.Status, &date, &starts, &ends, &ck, &at, &how, &created); err != nil {
			return nil, translate(err)
		}
		if date.Valid {
			from, err1 := class.ParseClock(starts.String)
			to, err2 := class.ParseClock(ends.String)
			if err1 != nil || err2 != nil {
				return nil, translate(errors.Join(err1, err2))
			}
			e.Session = &class.Session{Date: civil.DateOf(date.Time.UTC()), StartsAt: from, EndsAt: to}
		}
		if ck.Valid && e.Session != nil {
			e.Checkin = &class.Checkin{
				ID: ck.String, ClassID: e.ClassID, WorkerID: workerID, SessionDate: e.Session.Date,
				CheckedInAt: at.Time.UTC(), Method: how.String, CreatedAt: created.Time.UTC(),
			}
		}
		out = append(out, e)
	}
	return out, translate(rows.Err())
}

// enrolmentsSQL drives from the roster's worker index to the classes by primary key, their
// sessions by (class_id, session_date) and the check-ins by their unique key.
const enrolmentsSQL = `SELECT r.class_id, c.course_name, c.status, s.session_date, s.starts_at, s.ends_at,
	k.id, k.checked_in_at, k.method, k.created_at
FROM class_roster AS r
JOIN classes AS c ON c.id = r.class_id AND c.status IN (?, ?)
LEFT JOIN class_sessions AS s ON s.class_id = r.class_id AND s.session_date BETWEEN ? AND ?
LEFT JOIN class_checkins AS k ON k.class_id = r.class_id AND k.worker_id = r.worker_id AND k.session_date = s.session_date
WHERE r.worker_id = ?
ORDER BY r.class_id, s.session_date`

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

// AddCheckin inserts one check-in with a plain INSERT: a worker already checked into the
// session is errs.Conflict duplicate_conflict. (No ON DUPLICATE KEY here: its next-key locks
// on the unique key would queue the concurrent check-ins of one class behind each other.)
func (s *ClassStore) AddCheckin(ctx context.Context, c class.Checkin) error {
	row := classCheckinRow{
		ID: c.ID, ClassID: c.ClassID, WorkerID: c.WorkerID, SessionDate: c.SessionDate.Time(),
		CheckedInAt: c.CheckedInAt.UTC(), Method: c.Method, CreatedAt: c.CreatedAt.UTC(),
	}
	return translate(s.db.conn(ctx).Create(&row).Error)
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
