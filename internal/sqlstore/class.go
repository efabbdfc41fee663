package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
	"skillrecord/internal/keys"
	"skillrecord/internal/pii"
)

// ClassStore keeps the subsidised training classes (tables classes, class_sessions,
// class_roster), their attendance (class_checkins) and the supervision flags
// (supervision_flags). Roster members, check-ins and flags name their worker by the registry's
// opaque id; the SSNs and names it reads back for an answer come from the registry, opened
// with the data keyring.
type ClassStore struct {
	db   *DB
	data *pii.Keyring
}

var _ class.Store = (*ClassStore)(nil)

// Classes returns the class store on db, opening the registry's personal data with m's data
// keyring.
func (db *DB) Classes(m *keys.Material) *ClassStore { return &ClassStore{db: db, data: m.Data} }

type classRow struct {
	ID               string
	InstitutionID    string
	ExternalID       string
	FilingDigest     []byte
	CourseName       string
	TrainingType     string
	OccupationCode   string
	OccupationName   string
	Level            *int
	SubsidyItem      string
	Hours            int
	StartDate        time.Time
	EndDate          time.Time
	Location         string
	Teacher          string
	Capacity         int
	RosterSize       int
	Status           string
	LateFiling       bool
	ReviewReason     string
	ReviewedAt       sql.NullTime
	CancelReason     string
	CancelledAt      sql.NullTime
	CompletedAt      sql.NullTime
	CompletionDigest []byte
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (classRow) TableName() string { return "classes" }

type classSessionRow struct {
	ClassID     string
	SessionDate time.Time
	StartsAt    string
	EndsAt      string
}

func (classSessionRow) TableName() string { return "class_sessions" }

type classRosterRow struct {
	ClassID  string
	WorkerID string
	Seq      int
	AddedAt  time.Time
}

func (classRosterRow) TableName() string { return "class_roster" }

func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t, Valid: !t.IsZero()} }

func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func toClassRow(c class.Class) classRow {
	f := c.Filing
	return classRow{
		ID: c.ID, InstitutionID: c.InstitutionID, ExternalID: f.ExternalID, FilingDigest: c.Digest,
		CourseName: f.CourseName, TrainingType: f.TrainingType, OccupationCode: f.OccupationCode,
		OccupationName: f.OccupationName, Level: f.Level, SubsidyItem: f.SubsidyItem, Hours: f.Hours,
		StartDate: f.StartDate.Time(), EndDate: f.EndDate.Time(), Location: f.Location, Teacher: f.Teacher,
		Capacity: f.Capacity, RosterSize: len(c.Roster), Status: c.Status, LateFiling: c.LateFiling,
		ReviewReason: c.ReviewReason, ReviewedAt: nullTime(c.ReviewedAt), CancelReason: c.CancelReason,
		CancelledAt: nullTime(c.CancelledAt), CompletedAt: nullTime(c.CompletedAt),
		CompletionDigest: c.CompletionDigest, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

func fromClassRow(r classRow) class.Class {
	return class.Class{
		ID: r.ID, InstitutionID: r.InstitutionID,
		Filing: class.Filing{
			ExternalID: r.ExternalID, CourseName: r.CourseName, TrainingType: r.TrainingType,
			OccupationCode: r.OccupationCode, OccupationName: r.OccupationName, Level: r.Level,
			SubsidyItem: r.SubsidyItem, Hours: r.Hours, StartDate: civil.DateOf(r.StartDate.UTC()),
			EndDate: civil.DateOf(r.EndDate.UTC()), Location: r.Location, Teacher: r.Teacher, Capacity: r.Capacity,
		},
		RosterSize: r.RosterSize, Status: r.Status, LateFiling: r.LateFiling, Digest: r.FilingDigest,
		ReviewReason: r.ReviewReason, ReviewedAt: timeOf(r.ReviewedAt), CancelReason: r.CancelReason,
		CancelledAt: timeOf(r.CancelledAt), CompletedAt: timeOf(r.CompletedAt),
		CompletionDigest: r.CompletionDigest, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// WithTx runs fn in one transaction (see DB.WithTx), run again after a deadlock or lock-wait
// timeout when it is a transaction of its own.
func (s *ClassStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Trainings().WithTx(ctx, fn)
}

// CreateClass inserts the class, its sessions and its roster.
func (s *ClassStore) CreateClass(ctx context.Context, c class.Class) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		row := toClassRow(c)
		if err := s.db.conn(ctx).Create(&row).Error; err != nil {
			return translate(err)
		}
		sessions := make([]classSessionRow, len(c.Sessions))
		for i, x := range c.Sessions {
			sessions[i] = classSessionRow{ClassID: c.ID, SessionDate: x.Date.Time(), StartsAt: x.StartsAt.String(), EndsAt: x.EndsAt.String()}
		}
		if err := s.db.conn(ctx).CreateInBatches(&sessions, 500).Error; err != nil {
			return translate(err)
		}
		return s.addMembers(ctx, c.ID, c.MemberIDs(), 0, c.CreatedAt)
	})
}

func (s *ClassStore) addMembers(ctx context.Context, classID string, ids []string, seq int, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	rows := make([]classRosterRow, len(ids))
	for i, id := range ids {
		rows[i] = classRosterRow{ClassID: classID, WorkerID: id, Seq: seq + i + 1, AddedAt: at}
	}
	return translate(s.db.conn(ctx).CreateInBatches(&rows, 1000).Error)
}

// ClassByExternalID returns the institution's class with the external id.
func (s *ClassStore) ClassByExternalID(ctx context.Context, institutionID, externalID string) (class.Class, error) {
	var row classRow
	if err := s.db.conn(ctx).Where("institution_id = ? AND external_id = ?", institutionID, externalID).Take(&row).Error; err != nil {
		return class.Class{}, translate(err)
	}
	return s.complete(ctx, row)
}

// Class returns one class with its sessions and roster (worker ids).
func (s *ClassStore) Class(ctx context.Context, id string) (class.Class, error) {
	var row classRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return class.Class{}, translate(err)
	}
	return s.complete(ctx, row)
}

// LockClass reads one class and locks its row until the transaction ends (SELECT … FOR UPDATE
// on MySQL; SQLite admits one writer at a time).
func (s *ClassStore) LockClass(ctx context.Context, id string) (class.Class, error) {
	q := s.db.conn(ctx).Where("id = ?", id)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var row classRow
	if err := q.Take(&row).Error; err != nil {
		return class.Class{}, translate(err)
	}
	return s.complete(ctx, row)
}

// complete reads a class row's sessions and roster.
func (s *ClassStore) complete(ctx context.Context, row classRow) (class.Class, error) {
	c := fromClassRow(row)
	var sessions []classSessionRow
	if err := s.db.conn(ctx).Where("class_id = ?", c.ID).Order("session_date").Find(&sessions).Error; err != nil {
		return class.Class{}, translate(err)
	}
	for _, x := range sessions {
		from, err1 := class.ParseClock(x.StartsAt)
		to, err2 := class.ParseClock(x.EndsAt)
		if err1 != nil || err2 != nil {
			return class.Class{}, translate(err1)
		}
		c.Sessions = append(c.Sessions, class.Session{Date: civil.DateOf(x.SessionDate.UTC()), StartsAt: from, EndsAt: to})
	}
	var members []classRosterRow
	if err := s.db.conn(ctx).Where("class_id = ?", c.ID).Order("seq").Find(&members).Error; err != nil {
		return class.Class{}, translate(err)
	}
	for _, m := range members {
		c.Roster = append(c.Roster, class.Member{WorkerID: m.WorkerID})
	}
	return c, nil
}

// SaveStatus stores c's status, review, cancellation and completion fields.
func (s *ClassStore) SaveStatus(ctx context.Context, c class.Class) error {
	row := toClassRow(c)
	return translate(s.db.conn(ctx).Model(&classRow{}).Where("id = ?", c.ID).
		Select("status", "review_reason", "reviewed_at", "cancel_reason", "cancelled_at", "completed_at",
			"completion_digest", "updated_at").Updates(&row).Error)
}

// Classes returns up to limit classes matching f, newest filing first.
func (s *ClassStore) Classes(ctx context.Context, f class.Filter, after *class.Position, limit int) ([]class.Class, error) {
	q := s.db.conn(ctx).Model(&classRow{})
	if f.InstitutionID != "" {
		q = q.Where("institution_id = ?", f.InstitutionID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if !f.From.IsZero() {
		q = q.Where("start_date >= ?", f.From.Time())
	}
	if !f.To.IsZero() {
		q = q.Where("start_date <= ?", f.To.Time())
	}
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", after.At, after.At, after.ID)
	}
	var rows []classRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]class.Class, len(rows))
	for i, r := range rows {
		out[i] = fromClassRow(r)
	}
	return out, nil
}
