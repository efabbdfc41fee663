package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

type supervisionFlagRow struct {
	ID        string
	Kind      string
	ClassID   string
	WorkerID  sql.NullString
	At        time.Time
	Detail    string
	CreatedAt time.Time
}

func (supervisionFlagRow) TableName() string { return "supervision_flags" }

// AddFlag stores a supervision flag (joining the transaction in ctx, if any).
func (s *ClassStore) AddFlag(ctx context.Context, f class.Flag) error {
	row := supervisionFlagRow{
		ID: f.ID, Kind: f.Kind, ClassID: f.ClassID, WorkerID: sql.NullString{String: f.WorkerID, Valid: f.WorkerID != ""},
		At: f.At.UTC(), Detail: f.Detail, CreatedAt: f.CreatedAt.UTC(),
	}
	return translate(s.db.conn(ctx).Create(&row).Error)
}

// Flags returns up to limit flags matching q, newest first, with each worker's SSN opened from
// the registry.
func (s *ClassStore) Flags(ctx context.Context, q class.FlagQuery, after *class.Position, limit int) ([]class.Flag, error) {
	tx := s.db.conn(ctx).Table("supervision_flags AS f").
		Select("f.id, f.kind, f.class_id, f.worker_id, f.at, f.detail, f.created_at, w.ssn_enc").
		Joins("LEFT JOIN workers AS w ON w.id = f.worker_id")
	if q.ClassID != "" {
		tx = tx.Where("f.class_id = ?", q.ClassID)
	}
	if q.Kind != "" {
		tx = tx.Where("f.kind = ?", q.Kind)
	}
	if !q.From.IsZero() {
		tx = tx.Where("f.at >= ?", q.From)
	}
	if !q.To.IsZero() {
		tx = tx.Where("f.at < ?", q.To)
	}
	if after != nil {
		tx = tx.Where("f.at < ? OR (f.at = ? AND f.id < ?)", after.At, after.At, after.ID)
	}
	var rows []struct {
		ID        string
		Kind      string
		ClassID   string
		WorkerID  sql.NullString
		At        time.Time
		Detail    string
		CreatedAt time.Time
		SSNEnc    []byte `gorm:"column:ssn_enc"`
	}
	if err := tx.Order("f.at DESC, f.id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]class.Flag, len(rows))
	for i, r := range rows {
		f := class.Flag{
			ID: r.ID, Kind: r.Kind, ClassID: r.ClassID, WorkerID: r.WorkerID.String,
			At: r.At.UTC(), Detail: r.Detail, CreatedAt: r.CreatedAt.UTC(),
		}
		if len(r.SSNEnc) > 0 {
			ssn, err := s.data.OpenString(r.SSNEnc, workerAADSSN)
			if err != nil {
				return nil, errs.Internal(err, "open workers.ssn of %s", f.WorkerID)
			}
			f.WorkerSSN = identity.SSN(ssn)
		}
		out[i] = f
	}
	return out, nil
}
