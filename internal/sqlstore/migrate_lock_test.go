package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// migrateTogether opens one store per config and runs Migrate in all of them at once; it
// returns how many versions each applied.
func migrateTogether(t *testing.T, cfgs []sqlstore.Config) []int {
	t.Helper()
	ctx := context.Background()
	dbs := make([]*sqlstore.DB, len(cfgs))
	for i, cfg := range cfgs {
		db, err := sqlstore.Open(ctx, cfg, testenv.Logger(t))
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		dbs[i] = db
	}
	applied := make([]int, len(dbs))
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			v, err := db.Migrate(ctx)
			applied[i], errs[i] = len(v), err
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		require.NoErrorf(t, err, "migrator %d", i)
	}
	return applied
}

// assertMigratedOnce checks that the versions were applied once in all, by one migrator, and
// that no migration lock is left behind.
func assertMigratedOnce(t *testing.T, db *sqlstore.DB, applied []int) {
	t.Helper()
	status, err := db.MigrationStatus(context.Background())
	require.NoError(t, err)
	migrators, total := 0, 0
	for _, n := range applied {
		total += n
		if n > 0 {
			migrators++
		}
	}
	assert.Equal(t, 1, migrators, "exactly one process migrates (applied: %v)", applied)
	assert.Equal(t, len(status), total, "each version is applied once")
	for _, s := range status {
		assert.Truef(t, s.Applied, "migration %d applied", s.Version)
	}
	var left int
	require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM schema_lock").Scan(&left))
	assert.Zero(t, left, "the migration lock is released")
}

func TestMigrate_ProcessesStartingTogetherMigrateOnce(t *testing.T) {
	t.Run("mysql", func(t *testing.T) {
		dsn := testenv.NewDatabase(t)
		cfgs := []sqlstore.Config{testenv.DBConfig(dsn), testenv.DBConfig(dsn), testenv.DBConfig(dsn)}
		applied := migrateTogether(t, cfgs)
		db, err := sqlstore.Open(context.Background(), cfgs[0], testenv.Logger(t))
		require.NoError(t, err)
		defer db.Close()
		assertMigratedOnce(t, db, applied)
	})
	t.Run("sqlite", func(t *testing.T) {
		cfg := sqlstore.Config{DataDir: t.TempDir(), MaxOpenConns: 4, MaxIdleConns: 4, QueryTimeout: 30 * time.Second}
		applied := migrateTogether(t, []sqlstore.Config{cfg, cfg, cfg})
		db, err := sqlstore.Open(context.Background(), cfg, testenv.Logger(t))
		require.NoError(t, err)
		defer db.Close()
		assertMigratedOnce(t, db, applied)
	})
}

// emptyStores opens an unmigrated database of each dialect, with the migration lock's table
// made as a process that started migrating would have made it.
func emptyStores(t *testing.T) map[string]func(*testing.T) *sqlstore.DB {
	open := func(t *testing.T, cfg sqlstore.Config, ddl string) *sqlstore.DB {
		db, err := sqlstore.Open(context.Background(), cfg, testenv.Logger(t))
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		_, err = db.SQL().Exec(ddl)
		require.NoError(t, err)
		return db
	}
	return map[string]func(*testing.T) *sqlstore.DB{
		"mysql": func(t *testing.T) *sqlstore.DB {
			return open(t, testenv.DBConfig(testenv.NewDatabase(t)), `CREATE TABLE schema_lock (name VARCHAR(64) NOT NULL PRIMARY KEY,
				holder VARCHAR(128) NOT NULL, acquired_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL) ENGINE=InnoDB`)
		},
		"sqlite": func(t *testing.T) *sqlstore.DB {
			return open(t, sqlstore.Config{DataDir: t.TempDir(), MaxOpenConns: 4, MaxIdleConns: 4},
				`CREATE TABLE schema_lock (name TEXT NOT NULL PRIMARY KEY, holder TEXT NOT NULL, acquired_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL)`)
		},
	}
}

func TestMigrate_WaitsWhileAnotherProcessHoldsTheLock(t *testing.T) {
	for name, open := range emptyStores(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			// Another live process holds the lock (and would keep renewing it).
			far := time.Now().Add(time.Hour).UnixMilli()
			_, err := db.SQL().ExecContext(ctx, "INSERT INTO schema_lock (name, holder, acquired_ms, expires_ms) VALUES ('migrate', 'other-host:1:ab', ?, ?)",
				time.Now().UnixMilli(), far)
			require.NoError(t, err)

			short, cancel := context.WithTimeout(ctx, 700*time.Millisecond)
			defer cancel()
			_, err = db.Migrate(short)
			require.Error(t, err, "Migrate does not run while another process holds the lock")
			assert.Contains(t, err.Error(), "migration lock")

			_, err = db.SQL().ExecContext(ctx, "DELETE FROM schema_lock WHERE holder = 'other-host:1:ab'")
			require.NoError(t, err)
			applied, err := db.Migrate(ctx)
			require.NoError(t, err, "Migrate runs once the holder is gone")
			assert.NotEmpty(t, applied)
		})
	}
}

func TestMigrate_TakesOverTheLockOfAMigratorThatDied(t *testing.T) {
	for name, open := range emptyStores(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			past := time.Now().Add(-time.Minute).UnixMilli()
			_, err := db.SQL().ExecContext(ctx, "INSERT INTO schema_lock (name, holder, acquired_ms, expires_ms) VALUES ('migrate', 'dead-host:1:ab', ?, ?)",
				past-60_000, past)
			require.NoError(t, err)

			applied, err := db.Migrate(ctx)
			require.NoError(t, err, "an expired lock does not block")
			assert.NotEmpty(t, applied)
			var left int
			require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM schema_lock").Scan(&left))
			assert.Zero(t, left)
		})
	}
}

func TestOpen_DSNParametersAreSessionVariables(t *testing.T) {
	// wsrep_sync_wait exists on every MariaDB build with Galera support, the cluster or not; the
	// driver sets each DSN parameter it does not know as a session variable.
	cfg, err := mysql.ParseDSN(testenv.NewDatabase(t))
	require.NoError(t, err)
	cfg.Params = map[string]string{"wsrep_sync_wait": "1"}
	db, err := sqlstore.Open(context.Background(), testenv.DBConfig(cfg.FormatDSN()), testenv.Logger(t))
	require.NoError(t, err)
	defer db.Close()
	var v int
	require.NoError(t, db.SQL().QueryRow("SELECT @@SESSION.wsrep_sync_wait").Scan(&v))
	assert.Equal(t, 1, v)
	var zone string
	require.NoError(t, db.SQL().QueryRow("SELECT @@SESSION.time_zone").Scan(&zone))
	assert.Equal(t, "+00:00", zone, "the store's own session settings still apply")
}

func TestMigrate_UpToDateSchemaTakesNoLock(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			_, err := db.SQL().ExecContext(ctx, "INSERT INTO schema_lock (name, holder, acquired_ms, expires_ms) VALUES ('migrate', 'other-host:1:ab', ?, ?)",
				time.Now().UnixMilli(), time.Now().Add(time.Hour).UnixMilli())
			require.NoError(t, err)
			applied, err := db.Migrate(ctx)
			require.NoError(t, err, "nothing to apply: no waiting for the lock")
			assert.Empty(t, applied)
		})
	}
}

// TestOpen_RefusesANonUTF8ConnectionCharacterSet: the statements carry their strings in their
// text, which a latin1 connection would misread.
func TestOpen_RefusesANonUTF8ConnectionCharacterSet(t *testing.T) {
	cfg, err := mysql.ParseDSN(testenv.NewDatabase(t))
	require.NoError(t, err)
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "latin1"
	_, err = sqlstore.Open(context.Background(), testenv.DBConfig(cfg.FormatDSN()), testenv.Logger(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "character set latin1")
	assert.Contains(t, err.Error(), "needs utf8mb4")
}

// TestOpen_AcceptsAUtf8mb3Connection: utf8mb3 is UTF-8 too (only characters outside the Basic
// Multilingual Plane are lost, and a warning says so), so the service starts on it.
func TestOpen_AcceptsAUtf8mb3Connection(t *testing.T) {
	cfg, err := mysql.ParseDSN(testenv.NewDatabase(t))
	require.NoError(t, err)
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "utf8"
	db, err := sqlstore.Open(context.Background(), testenv.DBConfig(cfg.FormatDSN()), testenv.Logger(t))
	require.NoError(t, err)
	require.NoError(t, db.Close())
}
