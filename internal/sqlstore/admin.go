package sqlstore

import (
	"context"
	"time"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

var _ auth.AdminStore = (*DB)(nil)

type adminRow struct {
	ID           string
	Username     string
	PasswordHash string
	Status       string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (adminRow) TableName() string { return "admins" }

// CreateAdmin inserts an admin account. A username held by an organisation's staff member is
// a conflict like one held by an admin (the two share one namespace at sign-in).
func (db *DB) CreateAdmin(ctx context.Context, a auth.Admin) error {
	row := adminRow(a)
	return db.WithTx(ctx, func(ctx context.Context) error {
		var n int64
		if err := db.conn(ctx).Model(&staffRow{}).Where("username = ?", a.Username).Count(&n).Error; err != nil {
			return translate(err)
		}
		if n > 0 {
			return errs.Conflict("username_taken", "the username is taken")
		}
		return translate(db.conn(ctx).Create(&row).Error)
	})
}

// AdminByUsername finds an admin account by its (lower-case) username.
func (db *DB) AdminByUsername(ctx context.Context, username string) (auth.Admin, error) {
	var row adminRow
	if err := db.conn(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		return auth.Admin{}, translate(err)
	}
	return auth.Admin(row), nil
}
