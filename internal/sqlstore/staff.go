package sqlstore

import (
	"context"
	"time"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

var (
	_ auth.StaffStore    = (*DB)(nil)
	_ auth.StaffStatuses = (*DB)(nil)
)

type staffRow struct {
	ID                string
	OrgID             string
	Username          string
	DisplayName       string
	PasswordHash      string
	Status            string
	SetTokenHash      []byte
	SetTokenExpiresAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (staffRow) TableName() string { return "org_users" }

func toStaffRow(u auth.StaffUser) staffRow {
	return staffRow{ID: u.ID, OrgID: u.OrgID, Username: u.Username, DisplayName: u.DisplayName,
		PasswordHash: u.PasswordHash, Status: u.Status, SetTokenHash: u.SetTokenHash,
		SetTokenExpiresAt: u.SetTokenExpiry, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func (r staffRow) user() auth.StaffUser {
	return auth.StaffUser{ID: r.ID, OrgID: r.OrgID, Username: r.Username, DisplayName: r.DisplayName,
		PasswordHash: r.PasswordHash, Status: r.Status, SetTokenHash: r.SetTokenHash,
		SetTokenExpiry: r.SetTokenExpiresAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// CreateStaff inserts a staff account, in a transaction that commits the request's audit
// event with it. A username held by an admin is a conflict like one held by staff.
func (db *DB) CreateStaff(ctx context.Context, u auth.StaffUser) error {
	row := toStaffRow(u)
	return db.WithTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := db.conn(ctx).Model(&adminRow{}).Where("username = ?", u.Username).Count(&n).Error; err != nil {
			return translate(err)
		}
		if n > 0 {
			return errs.Conflict("username_taken", "the username is taken")
		}
		return translate(db.conn(ctx).Create(&row).Error)
	})
}

// StaffByUsername finds a staff account by its (lower-case) username.
func (db *DB) StaffByUsername(ctx context.Context, username string) (auth.StaffUser, error) {
	var row staffRow
	if err := db.conn(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		return auth.StaffUser{}, translate(err)
	}
	return row.user(), nil
}

// StaffStatus reads a staff account's status (for authentication).
func (db *DB) StaffStatus(ctx context.Context, id string) (string, error) {
	var row staffRow
	if err := db.conn(ctx).Select("status").Where("id = ?", id).Take(&row).Error; err != nil {
		return "", translate(err)
	}
	return row.Status, nil
}

// ListStaff reads one page (Limit+1 rows, to tell whether there is more) of an organisation's
// staff accounts, by id.
func (db *DB) ListStaff(ctx context.Context, orgID string, p page.Request) ([]auth.StaffUser, error) {
	q := db.conn(ctx).Where("org_id = ?", orgID)
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	var rows []staffRow
	if err := q.Order("id").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]auth.StaffUser, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// SetStaffStatus changes the status of organisation orgID's account id, in a transaction that
// commits the request's audit event with it.
func (db *DB) SetStaffStatus(ctx context.Context, orgID, id, status string, now time.Time) (auth.StaffUser, error) {
	var out auth.StaffUser
	err := db.WithTx(ctx, func(ctx context.Context) error {
		res := db.conn(ctx).Model(&staffRow{}).Where("id = ? AND org_id = ?", id, orgID).
			Updates(map[string]any{"status": status, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error)
		}
		var row staffRow
		if err := db.conn(ctx).Where("id = ? AND org_id = ?", id, orgID).Take(&row).Error; err != nil {
			return translate(err)
		}
		out = row.user()
		return nil
	})
	return out, err
}

// SpendSetPasswordToken sets the password of the account whose unexpired token hashes to hash
// and forgets the token, so that it works once; no such token is an errs NotFound.
func (db *DB) SpendSetPasswordToken(ctx context.Context, hash []byte, passwordHash string, now time.Time) error {
	return db.WithTx(ctx, func(ctx context.Context) error {
		res := db.conn(ctx).Model(&staffRow{}).
			Where("set_token_hash = ? AND set_token_expires_at > ?", hash, now).
			Updates(map[string]any{"password_hash": passwordHash, "set_token_hash": nil,
				"set_token_expires_at": nil, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error)
		}
		if res.RowsAffected == 0 {
			return errs.NotFound("not_found", "no such set-password token")
		}
		return nil
	})
}
