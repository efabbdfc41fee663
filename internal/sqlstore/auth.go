package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"skillrecord/internal/auth"
)

var (
	_ auth.Store       = (*DB)(nil)
	_ auth.OrgStatuses = (*DB)(nil)
	_ auth.Revocations = (*DB)(nil)
)

type clientRow struct {
	ClientID   string `gorm:"primaryKey"`
	OrgID      string
	SecretHash []byte
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

func (clientRow) TableName() string { return "org_clients" }

type refreshRow struct {
	ID        string
	TokenHash []byte
	FamilyID  string
	Subject   string
	Role      string
	OrgID     string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

func (refreshRow) TableName() string { return "refresh_tokens" }

type revokedRow struct {
	JTI       string `gorm:"column:jti;primaryKey"`
	ExpiresAt time.Time
	CreatedAt time.Time
}

func (revokedRow) TableName() string { return "revoked_tokens" }

type revokedSessionRow struct {
	SID       string `gorm:"column:sid;primaryKey"`
	ExpiresAt time.Time
	CreatedAt time.Time
}

func (revokedSessionRow) TableName() string { return "revoked_sessions" }

// CreateClient stores an API client, in a transaction that commits the request's audit
// event with it (see DB.WithTx).
func (db *DB) CreateClient(ctx context.Context, c auth.Client) error {
	row := clientRow(c)
	return db.WithTx(ctx, func(ctx context.Context) error {
		return translate(db.conn(ctx).Create(&row).Error)
	})
}

// ClientByID reads an API client.
func (db *DB) ClientByID(ctx context.Context, clientID string) (auth.Client, error) {
	var row clientRow
	if err := db.conn(ctx).Where("client_id = ?", clientID).Take(&row).Error; err != nil {
		return auth.Client{}, translate(err)
	}
	return auth.Client(row), nil
}

// CreateRefreshToken stores a refresh token's hash.
func (db *DB) CreateRefreshToken(ctx context.Context, t auth.RefreshToken) error {
	row := refreshRow{ID: t.ID, TokenHash: t.Hash, FamilyID: t.FamilyID, Subject: t.Subject, Role: string(t.Role),
		OrgID: t.OrgID, ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt}
	return translate(db.conn(ctx).Create(&row).Error)
}

// RefreshTokenByHash finds a refresh token by the hash of its value.
func (db *DB) RefreshTokenByHash(ctx context.Context, hash []byte) (auth.RefreshToken, error) {
	var r refreshRow
	if err := db.conn(ctx).Where("token_hash = ?", hash).Take(&r).Error; err != nil {
		return auth.RefreshToken{}, translate(err)
	}
	return auth.RefreshToken{ID: r.ID, Hash: r.TokenHash, FamilyID: r.FamilyID, Subject: r.Subject, Role: auth.Role(r.Role),
		OrgID: r.OrgID, ExpiresAt: r.ExpiresAt.UTC(), UsedAt: r.UsedAt, RevokedAt: r.RevokedAt, CreatedAt: r.CreatedAt.UTC()}, nil
}

// UseRefreshToken marks a token used; only one caller can win.
func (db *DB) UseRefreshToken(ctx context.Context, id string, now time.Time) (bool, error) {
	res := db.conn(ctx).Model(&refreshRow{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).
		Update("used_at", now.UTC())
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RevokeFamily revokes every refresh token of a sign-in session.
func (db *DB) RevokeFamily(ctx context.Context, familyID string, now time.Time) error {
	return translate(db.conn(ctx).Model(&refreshRow{}).Where("family_id = ? AND revoked_at IS NULL", familyID).
		Update("revoked_at", now.UTC()).Error)
}

// Revoke adds an access token to the deny-list until it expires. Revoking twice is fine.
func (db *DB) Revoke(ctx context.Context, jti string, expiresAt time.Time) error {
	row := revokedRow{JTI: jti, ExpiresAt: expiresAt.UTC(), CreatedAt: time.Now().UTC()}
	err := translate(db.conn(ctx).Create(&row).Error)
	if isConflict(err) {
		return nil
	}
	return err
}

// IsRevoked reports whether an access token is on the deny-list.
func (db *DB) IsRevoked(ctx context.Context, jti string) (bool, error) {
	var n int64
	if err := db.conn(ctx).Model(&revokedRow{}).Where("jti = ?", jti).Count(&n).Error; err != nil {
		return false, translate(err)
	}
	return n > 0, nil
}

// RevokeSession refuses every access token of a sign-in session until until. Revoking twice
// keeps the first entry.
func (db *DB) RevokeSession(ctx context.Context, sid string, until time.Time) error {
	row := revokedSessionRow{SID: sid, ExpiresAt: until.UTC(), CreatedAt: time.Now().UTC()}
	err := translate(db.conn(ctx).Create(&row).Error)
	if isConflict(err) {
		return nil
	}
	return err
}

// IsSessionRevoked reports whether a sign-in session has been ended.
func (db *DB) IsSessionRevoked(ctx context.Context, sid string) (bool, error) {
	var n int64
	if err := db.conn(ctx).Model(&revokedSessionRow{}).Where("sid = ?", sid).Count(&n).Error; err != nil {
		return false, translate(err)
	}
	return n > 0, nil
}

// PurgeExpired deletes deny-list entries and refresh tokens that can no longer matter.
func (db *DB) PurgeExpired(ctx context.Context, now time.Time) (int64, error) {
	var total int64
	for _, q := range []*gorm.DB{
		db.conn(ctx).Where("expires_at < ?", now.UTC()).Delete(&revokedRow{}),
		db.conn(ctx).Where("expires_at < ?", now.UTC()).Delete(&refreshRow{}),
		db.conn(ctx).Where("expires_at < ?", now.UTC()).Delete(&revokedSessionRow{}),
	} {
		if q.Error != nil {
			return total, translate(q.Error)
		}
		total += q.RowsAffected
	}
	return total, nil
}
