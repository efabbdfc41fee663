package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// The migration lock is a row of schema_lock, a table that must exist before the first
// migration runs and so cannot be one: withMigrationLock creates it with CREATE TABLE IF NOT
// EXISTS. A row, unlike GET_LOCK (which holds only on the Galera node that granted it), is seen
// by every node of a cluster, and by TiDB and SQLite alike: whichever node each process talks
// to, exactly one inserts it and migrates; the others wait until it is gone and then find
// nothing left to apply.
const (
	schemaLockTable = "schema_lock"
	schemaLockName  = "migrate"
	// schemaLockTTL bounds how long a migrator that died keeps the others waiting; a live one
	// renews the row every third of it. It is long because on Galera a DDL statement blocks
	// every other write in the cluster, the renewal included, while it runs.
	schemaLockTTL = 2 * time.Minute
	// schemaLockWait is how long a process waits for another one's migrations to finish.
	schemaLockWait = 15 * time.Minute
)

// schemaLockDDL creates the lock table; the same columns as leases (migration 00016).
var schemaLockDDL = map[Dialect]string{
	MySQL: `CREATE TABLE IF NOT EXISTS schema_lock (
    name        VARCHAR(64)  NOT NULL,
    holder      VARCHAR(128) NOT NULL,
    acquired_ms BIGINT       NOT NULL,
    expires_ms  BIGINT       NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
	SQLite: `CREATE TABLE IF NOT EXISTS schema_lock (
    name        TEXT    NOT NULL PRIMARY KEY,
    holder      TEXT    NOT NULL,
    acquired_ms INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL
)`,
}

// withMigrationLock runs fn while this process holds the schema_lock row, waiting up to
// schemaLockWait for another process that holds it. A holder that dies leaves a row that
// expires after schemaLockTTL (the hosts' clocks are assumed to agree within seconds).
func (db *DB) withMigrationLock(ctx context.Context, fn func() error) error {
	if _, err := db.sql.ExecContext(ctx, schemaLockDDL[db.dialect]); err != nil {
		return fmt.Errorf("migration lock: create %s: %w", schemaLockTable, translate(err))
	}
	lease, err := db.waitSchemaLock(ctx, time.Now)
	if err != nil {
		return err
	}
	defer func() { _ = lease.Release(context.WithoutCancel(ctx)) }()
	return fn()
}

// waitSchemaLock takes the migration lock, polling while another process holds it.
func (db *DB) waitSchemaLock(ctx context.Context, now func() time.Time) (*Lease, error) {
	deadline := now().Add(schemaLockWait)
	for {
		lease, err := db.acquireRowLease(ctx, schemaLockTable, schemaLockName, schemaLockTTL, now)
		switch {
		case err == nil:
			return lease, nil
		case !isConflict(err) && !IsRetryable(err):
			return nil, fmt.Errorf("migration lock: %w", err)
		case now().After(deadline):
			return nil, fmt.Errorf("migration lock: waited %s for another process's migrations: %w", schemaLockWait, err)
		}
		// Another process migrates: wait a little, a random part so that waiters spread out.
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("migration lock: %w", ctx.Err())
		case <-time.After(200*time.Millisecond + rand.N(300*time.Millisecond)): //nolint:gosec // G404: jitter that spreads waiters out needs no unpredictability, so no crypto/rand
		}
	}
}
