package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// migrationLock is the MySQL advisory lock that keeps instances starting together from
// applying the same migrations twice.
const migrationLock = "skillrecord.migrate"

// withMigrationLock runs fn while holding the advisory lock on MySQL; SQLite has one writer
// and needs none.
func (db *DB) withMigrationLock(ctx context.Context, fn func() error) error {
	if db.dialect != MySQL {
		return fn()
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.Close()
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 120)", migrationLock).Scan(&got); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	if !got.Valid || got.Int64 != 1 {
		return fmt.Errorf("migration lock: another instance has held it for 120s")
	}
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(?)", migrationLock) }()
	return fn()
}
