package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
	"skillrecord/internal/share"
)

// ShareStore keeps the workers' consent shares. The token is never stored, only its SHA-256
// (token_hash, unique), which is how a read through a share finds it.
type ShareStore struct {
	db *DB
}

var _ share.Store = (*ShareStore)(nil)

// Shares returns the share store on db.
func (db *DB) Shares() *ShareStore { return &ShareStore{db: db} }

type shareRow struct {
	ID            string `gorm:"primaryKey"`
	WorkerID      string
	TokenHash     []byte
	Scope         string
	AudienceOrgID sql.NullString
	ExpiresAt     time.Time
	RevokedAt     sql.NullTime
	CreatedAt     time.Time
}

func (shareRow) TableName() string { return "shares" }

func toShareRow(s share.Share) shareRow {
	r := shareRow{
		ID: s.ID, WorkerID: s.WorkerID, TokenHash: s.TokenHash, Scope: s.Scope,
		ExpiresAt: s.ExpiresAt.UTC(), CreatedAt: s.CreatedAt.UTC(),
	}
	if s.AudienceOrgID != "" {
		r.AudienceOrgID = sql.NullString{String: s.AudienceOrgID, Valid: true}
	}
	if s.RevokedAt != nil {
		r.RevokedAt = sql.NullTime{Time: s.RevokedAt.UTC(), Valid: true}
	}
	return r
}

func fromShareRow(r shareRow) share.Share {
	s := share.Share{
		ID: r.ID, WorkerID: r.WorkerID, TokenHash: r.TokenHash, Scope: r.Scope, AudienceOrgID: r.AudienceOrgID.String,
		ExpiresAt: r.ExpiresAt.UTC(), CreatedAt: r.CreatedAt.UTC(),
	}
	if r.RevokedAt.Valid {
		at := r.RevokedAt.Time.UTC()
		s.RevokedAt = &at
	}
	return s
}

// CreateShare stores a new share, in a transaction that commits the request's audit event
// with it (see DB.WithTx).
func (s *ShareStore) CreateShare(ctx context.Context, sh share.Share) error {
	row := toShareRow(sh)
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		return translate(s.db.conn(ctx).Create(&row).Error)
	})
}

// CreateShareWithin stores a new share unless its worker already has maxActive active ones.
// The worker's row is locked first (FOR UPDATE on MySQL; SQLite's immediate transactions admit
// one writer at a time), so concurrent creations for one worker count one after the other.
func (s *ShareStore) CreateShareWithin(ctx context.Context, sh share.Share, maxActive int) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		lock := s.db.conn(ctx).Table("workers").Where("id = ?", sh.WorkerID)
		if s.db.dialect == MySQL {
			lock = lock.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
		}
		var ids []string
		if err := lock.Pluck("id", &ids).Error; err != nil {
			return translate(err)
		}
		var active int64
		err := s.db.conn(ctx).Model(&shareRow{}).
			Where("worker_id = ? AND revoked_at IS NULL AND expires_at > ?", sh.WorkerID, sh.CreatedAt.UTC()).
			Count(&active).Error
		if err != nil {
			return translate(err)
		}
		if active >= int64(maxActive) {
			return share.QuotaExceeded(maxActive)
		}
		return s.CreateShare(ctx, sh)
	})
}

// SharesForWorker returns up to p.Limit+1 of the worker's shares after the position p.After
// (share.Cursor), by creation time then id, both descending.
func (s *ShareStore) SharesForWorker(ctx context.Context, workerID string, p page.Request) ([]share.Share, error) {
	q := s.db.conn(ctx).Where("worker_id = ?", workerID)
	if p.After != "" {
		at, id, err := share.ParseCursor(p.After)
		if err != nil {
			return nil, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
				WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
		}
		q = q.Where("(created_at < ? OR (created_at = ? AND id < ?))", at, at, id)
	}
	var rows []shareRow
	if err := q.Order("created_at DESC, id DESC").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]share.Share, len(rows))
	for i, r := range rows {
		out[i] = fromShareRow(r)
	}
	return out, nil
}

// RevokeShare marks the worker's share revoked at at, unless it already is; NotFound when the
// worker has no share with that id (another worker's share included). It runs in a
// transaction that commits the request's audit event with the revocation (see DB.WithTx).
func (s *ShareStore) RevokeShare(ctx context.Context, workerID, id string, at time.Time) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error { return s.revokeShare(ctx, workerID, id, at) })
}

func (s *ShareStore) revokeShare(ctx context.Context, workerID, id string, at time.Time) error {
	res := s.db.conn(ctx).Model(&shareRow{}).
		Where("id = ? AND worker_id = ? AND revoked_at IS NULL", id, workerID).
		Update("revoked_at", at.UTC())
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	var n int64
	if err := s.db.conn(ctx).Model(&shareRow{}).Where("id = ? AND worker_id = ?", id, workerID).Count(&n).Error; err != nil {
		return translate(err)
	}
	if n == 0 {
		return errs.NotFound("not_found", "no such share")
	}
	return nil // already revoked
}

// ShareByTokenHash returns the share whose token hashes to hash.
func (s *ShareStore) ShareByTokenHash(ctx context.Context, hash []byte) (share.Share, error) {
	var row shareRow
	if err := s.db.conn(ctx).Where("token_hash = ?", hash).Take(&row).Error; err != nil {
		return share.Share{}, translate(err)
	}
	return fromShareRow(row), nil
}
