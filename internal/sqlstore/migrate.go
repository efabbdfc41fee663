package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/pressly/goose/v3"

	"skillrecord/migrations"
)

// MigrationState is one migration's version and whether it has been applied.
type MigrationState struct {
	Version   int64
	Source    string
	Applied   bool
	AppliedAt time.Time
}

func (db *DB) provider(ctx context.Context) (*goose.Provider, error) {
	var (
		dialect goose.Dialect
		fsys    fs.FS
	)
	switch db.dialect {
	case SQLite:
		dialect, fsys = goose.DialectSQLite3, migrations.SQLite()
	default:
		fsys = migrations.MySQL()
		var version string
		if err := db.sql.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
			return nil, fmt.Errorf("load migrations: server version: %w", translate(err))
		}
		dialect = gooseDialect(version)
	}
	p, err := goose.NewProvider(dialect, db.sql, fsys)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending migration and returns the versions it applied. Running it on
// an up-to-date database does nothing.
func (db *DB) Migrate(ctx context.Context) ([]int64, error) {
	p, err := db.provider(ctx)
	if err != nil {
		return nil, err
	}
	if !db.migrationsPending(ctx, p) {
		// Up to date: no lock to take, so that serve starts with an application user that may
		// not create tables, and many instances starting together do not queue.
		return []int64{}, nil
	}
	var results []*goose.MigrationResult
	err = db.withMigrationLock(ctx, func() (err error) {
		results, err = p.Up(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	applied := make([]int64, 0, len(results))
	for _, r := range results {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrationStatus lists every known migration and whether it is applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	p, err := db.provider(ctx)
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationState, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationState{
			Version:   s.Source.Version,
			Source:    s.Source.Path,
			Applied:   s.State == goose.StateApplied,
			AppliedAt: s.AppliedAt,
		})
	}
	return out, nil
}

// gooseDialect picks goose's dialect for a MySQL-protocol server from its VERSION(): TiDB
// answers e.g. "8.0.11-TiDB-v8.5.1" and gets goose's TiDB dialect (its own form of the version
// table and its queries); MySQL and MariaDB share the MySQL one.
func gooseDialect(version string) goose.Dialect {
	if strings.Contains(version, "TiDB") {
		return goose.DialectTiDB
	}
	return goose.DialectMySQL
}

// migrationsPending reports whether a migration known to p is not recorded as applied. It only
// reads goose's version table (goose's own HasPending would create it, outside the lock); when
// the table cannot be read, it reports true and the locked path finds out what is wrong.
func (db *DB) migrationsPending(ctx context.Context, p *goose.Provider) bool {
	rows, err := db.sql.QueryContext(ctx, "SELECT version_id, is_applied FROM goose_db_version ORDER BY id")
	if err != nil {
		return true
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var (
			v  int64
			on bool
		)
		if err := rows.Scan(&v, &on); err != nil {
			return true
		}
		applied[v] = on // the latest row of a version says whether it is applied
	}
	if rows.Err() != nil {
		return true
	}
	for _, s := range p.ListSources() {
		if !applied[s.Version] {
			return true
		}
	}
	return false
}
