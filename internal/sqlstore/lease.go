package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"time"

	"skillrecord/internal/errs"
)

// CodeLeaseHeld is the code of the Conflict returned when another process holds a lease.
const CodeLeaseHeld = "lease_held"

// Lease is a named lock held through a row of the leases table, which every node of a cluster
// sees: it works the same on one MariaDB, on Galera (where GET_LOCK holds only on one node),
// on TiDB and on SQLite. While held it is renewed in the background; a holder that dies
// leaves a row that expires after the lease's time to live.
type Lease struct {
	db     *DB
	table  string // leases, or schema_lock for the migration lock
	name   string
	holder string
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// AcquireLease takes the lease name for ttl, renewing it every ttl/3 until Release. If another
// live process holds it, the error is errs Conflict with code lease_held, whose message says
// since when and until when.
func (db *DB) AcquireLease(ctx context.Context, name string, ttl time.Duration, now func() time.Time) (*Lease, error) {
	return db.acquireRowLease(ctx, leasesTable, name, ttl, now)
}

// leasesTable holds the leases that AcquireLease hands out (migration 00016).
const leasesTable = "leases"

// acquireRowLease takes the row name of table (leases, or the migration lock's schema_lock,
// which has the same columns) and starts renewing it.
func (db *DB) acquireRowLease(ctx context.Context, table, name string, ttl time.Duration, now func() time.Time) (*Lease, error) {
	holder := leaseHolder()
	for attempt := 1; ; attempt++ {
		err := db.tryLease(ctx, table, name, holder, ttl, now())
		if err == nil {
			break
		}
		if !IsRetryable(err) || attempt == 3 {
			return nil, err
		}
	}
	l := &Lease{db: db, table: table, name: name, holder: holder, stop: make(chan struct{}), done: make(chan struct{})}
	// The renewal outlives the caller's ctx (the lease is held until Release), but keeps its values.
	go l.renew(context.WithoutCancel(ctx), ttl, now)
	return l, nil
}

// tryLease inserts the row name into table unless a live holder has it. On Galera two nodes
// inserting the same primary key at once cannot both commit: one gets a duplicate key, or a
// certification failure (1213) that the caller retries and that then finds the row.
func (db *DB) tryLease(ctx context.Context, table, name, holder string, ttl time.Duration, now time.Time) error {
	at := now.UnixMilli()
	// A lease past its expiry belongs to a holder that died: it may be taken over.
	// table is leasesTable or schemaLockTable, package constants, never input.
	if _, err := db.sql.ExecContext(ctx, "DELETE FROM "+table+" WHERE name = ? AND expires_ms < ?", name, at); err != nil { //nolint:gosec // G202: table is a package constant
		return translate(err)
	}
	_, err := db.sql.ExecContext(ctx, "INSERT INTO "+table+" (name, holder, acquired_ms, expires_ms) VALUES (?, ?, ?, ?)", //nolint:gosec // G202: table is a package constant
		name, holder, at, at+ttl.Milliseconds())
	if err == nil {
		return nil
	}
	if !isDuplicate(err) {
		if IsRetryable(err) {
			return err // the caller retries a deadlock or certification failure as it is
		}
		return translate(err)
	}
	var since, until int64
	if err := db.sql.QueryRowContext(ctx, "SELECT acquired_ms, expires_ms FROM "+table+" WHERE name = ?", name).Scan(&since, &until); err != nil {
		return errs.Conflict(CodeLeaseHeld, "another process holds %s", name)
	}
	return errs.Conflict(CodeLeaseHeld, "another process holds %s since %s (until %s unless it renews it)", name,
		time.UnixMilli(since).UTC().Format(time.RFC3339), time.UnixMilli(until).UTC().Format(time.RFC3339))
}

// renew pushes the expiry forward every ttl/3 until the lease is released.
func (l *Lease) renew(base context.Context, ttl time.Duration, now func() time.Time) {
	defer close(l.done)
	t := time.NewTicker(max(ttl/3, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(base, ttl/3+time.Second)
			_, _ = l.db.sql.ExecContext(ctx, "UPDATE "+l.table+" SET expires_ms = ? WHERE name = ? AND holder = ?", //nolint:gosec // G202: l.table is a package constant
				now().Add(ttl).UnixMilli(), l.name, l.holder)
			cancel()
		}
	}
}

// Release stops the renewal and gives the lease up. It is safe to call more than once.
func (l *Lease) Release(ctx context.Context) error {
	var err error
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		_, err = l.db.sql.ExecContext(context.WithoutCancel(ctx), "DELETE FROM "+l.table+" WHERE name = ? AND holder = ?", l.name, l.holder) //nolint:gosec // G202: l.table is a package constant
		err = translate(err)
	})
	return err
}

// leaseHolder names this process in a lease row: host, pid and a random part.
func leaseHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	h := fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
	if len(h) > 128 {
		h = h[len(h)-128:]
	}
	return h
}
