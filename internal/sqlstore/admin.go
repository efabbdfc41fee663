package sqlstore

import (
	"context"
	"time"

	"skillrecord/internal/auth"
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

// CreateAdmin inserts an admin account.
func (db *DB) CreateAdmin(ctx context.Context, a auth.Admin) error {
	row := adminRow(a)
	return translate(db.conn(ctx).Create(&row).Error)
}

// AdminByUsername finds an admin account by its (lower-case) username.
func (db *DB) AdminByUsername(ctx context.Context, username string) (auth.Admin, error) {
	var row adminRow
	if err := db.conn(ctx).Where("username = ?", username).Take(&row).Error; err != nil {
		return auth.Admin{}, translate(err)
	}
	return auth.Admin(row), nil
}
