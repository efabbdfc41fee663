package sqlstore

import (
	"context"
	"time"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/keys"
	"skillrecord/internal/page"
	"skillrecord/internal/pii"
)

// StaffStore keeps organisations' staff accounts (org_users). A display name is a person's
// name, so it is sealed with the data keyring like workers' names.
type StaffStore struct {
	db   *DB
	data *pii.Keyring
}

var (
	_ auth.StaffStore  = (*StaffStore)(nil)
	_ auth.StaffLogins = (*StaffStore)(nil)
)

// Staff returns the staff account store on db, sealing display names with m's data keyring.
func (db *DB) Staff(m *keys.Material) *StaffStore { return &StaffStore{db: db, data: m.Data} }

const staffAADName = "org_users.display_name"

type staffRow struct {
	ID                string
	OrgID             string
	Username          string
	DisplayNameEnc    []byte `gorm:"column:display_name_enc"`
	PasswordHash      string
	Status            string
	SetTokenHash      []byte
	SetTokenExpiresAt *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (staffRow) TableName() string { return "org_users" }

func (s *StaffStore) toRow(u auth.StaffUser) (staffRow, error) {
	enc, err := s.data.SealString(u.DisplayName, staffAADName)
	if err != nil {
		return staffRow{}, errs.Internal(err, "seal display name")
	}
	return staffRow{ID: u.ID, OrgID: u.OrgID, Username: u.Username, DisplayNameEnc: enc,
		PasswordHash: u.PasswordHash, Status: u.Status, SetTokenHash: u.SetTokenHash,
		SetTokenExpiresAt: u.SetTokenExpiry, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}, nil
}

func (s *StaffStore) user(r staffRow) (auth.StaffUser, error) {
	name, err := s.data.OpenString(r.DisplayNameEnc, staffAADName)
	if err != nil {
		return auth.StaffUser{}, errs.Internal(err, "open display name")
	}
	return auth.StaffUser{ID: r.ID, OrgID: r.OrgID, Username: r.Username, DisplayName: name,
		PasswordHash: r.PasswordHash, Status: r.Status, SetTokenHash: r.SetTokenHash,
		SetTokenExpiry: r.SetTokenExpiresAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}, nil
}

// CreateStaff inserts a staff account, in a transaction that commits the request's audit
// event with it. A username held by an admin is a conflict like one held by staff.
func (s *StaffStore) CreateStaff(ctx context.Context, u auth.StaffUser) error {
	db := s.db
	row, err := s.toRow(u)
	if err != nil {
		return err
	}
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
func (s *StaffStore) StaffByUsername(ctx context.Context, username string) (auth.StaffUser, error) {
	var row staffRow
	if err := s.db.conn(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		return auth.StaffUser{}, translate(err)
	}
	return s.user(row)
}

// StaffStatus reads a staff account's status (for authentication).
func (s *StaffStore) StaffStatus(ctx context.Context, id string) (string, error) {
	var row staffRow
	if err := s.db.conn(ctx).Select("status").Where("id = ?", id).Take(&row).Error; err != nil {
		return "", translate(err)
	}
	return row.Status, nil
}

// ListStaff reads one page (Limit+1 rows, to tell whether there is more) of an organisation's
// staff accounts, by id.
func (s *StaffStore) ListStaff(ctx context.Context, orgID string, p page.Request) ([]auth.StaffUser, error) {
	q := s.db.conn(ctx).Where("org_id = ?", orgID)
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	var rows []staffRow
	if err := q.Order("id").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]auth.StaffUser, len(rows))
	for i, r := range rows {
		u, err := s.user(r)
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}

// SetStaffStatus changes the status of organisation orgID's account id, in a transaction that
// commits the request's audit event with it.
func (s *StaffStore) SetStaffStatus(ctx context.Context, orgID, id, status string, now time.Time) (auth.StaffUser, error) {
	db := s.db
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
		var err error
		out, err = s.user(row)
		return err
	})
	return out, err
}

// SpendSetPasswordToken sets the password of the account whose unexpired token hashes to hash
// and forgets the token, so that it works once; no such token is an errs NotFound.
func (s *StaffStore) SpendSetPasswordToken(ctx context.Context, hash []byte, passwordHash string, now time.Time) error {
	db := s.db
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
