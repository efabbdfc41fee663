package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"gorm.io/gorm"

	"skillrecord/internal/audit"
	"skillrecord/internal/event"
)

type txKey struct{}

// WithTx runs fn in one transaction carried by the context: every store method called with the
// context fn receives joins it, so that a record, its ledger entries and its audit event commit
// or roll back together. A nested WithTx joins the outer transaction.
//
// The audit event comes with it: when ctx belongs to an audited request (the HTTP audit
// middleware prepared the event, see audit.PendingIn), the outermost WithTx appends the
// request's event, with the workers announced by audit.Touch so far, inside the transaction
// after fn succeeds and just before the commit. If that insert fails the transaction rolls
// back and WithTx returns the error, so a write is never committed without its event. The
// event counts as recorded only once the commit succeeds: a transaction retried after a
// deadlock appends it again in its new attempt, and it is stored once. A request's later
// transactions append nothing more, and the middleware then records nothing for a request
// that succeeds. So a new write use case needs one thing: its writes and its audit.Touch go
// inside one WithTx. Work that does not belong to the request (shared by many requests) runs
// under audit.WithoutEvent.
//
// The outbox comes with it too: each attempt of the outermost transaction collects what fn
// emits with event.Emit and, after the audit event, stores it in event_outbox with multi-row
// inserts just before the commit (appendOutbox). A rolled-back attempt leaves no event; a
// retried one emits again. So a write, its audit event and its outbox events are one WithTx.
//
// The outermost WithTx runs fn again, in a new transaction, when the database refuses the
// transaction for a reason that a new attempt may not meet (a deadlock, a lock-wait timeout, a
// Galera certification conflict, TiDB's write conflict: IsRetryable), up to txAttempts times
// with a short pause between attempts; fn must therefore keep its effects outside the
// database until WithTx returns (cache invalidation), as every use
// case does.
func (db *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.withTx(ctx, nil, fn)
}

// withReadCommittedTx is WithTx with the transaction at READ COMMITTED on MySQL, MariaDB and
// TiDB (SQLite's write transactions are serial; it has no such level): each statement sees what
// is committed when it runs, and a locking read locks the rows it finds but not the gaps
// between them. A write whose locking read must see the latest committed rows takes, before
// it, the row locks that make its conflicting writers wait (indicator_workers.go); without the
// gap locks, writes for different workers whose index entries are neighbours no longer
// deadlock. Inside an outer transaction fn runs in it, at the outer one's level.
func (db *DB) withReadCommittedTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if db.dialect != MySQL {
		return db.withTx(ctx, nil, fn)
	}
	return db.withTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted}, fn)
}

// withTx is WithTx with the transaction's options (nil: the server's defaults).
func (db *DB) withTx(ctx context.Context, opts *sql.TxOptions, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	for attempt := 1; ; attempt++ {
		err := db.runTx(ctx, opts, fn)
		if err == nil || attempt == txAttempts || ctx.Err() != nil || !IsRetryable(err) {
			return err
		}
		db.txRetries.Add(1)
		retryPause(attempt)
	}
}

// txAttempts bounds how often a transaction refused with a retryable error is run. Two
// batches of training records for different workers can deadlock on a gap of the indicator
// index (indicator_workers.go); under a handful of concurrent batches a third attempt was seen
// to deadlock again, so a transaction gets six.
const txAttempts = 6

// retryPause waits before attempt+1 of a transaction: 10 ms × attempt, stretched by a random
// factor up to 2, so that the two sides of a deadlock do not come back in step.
func retryPause(attempt int) {
	base := time.Duration(attempt) * 10 * time.Millisecond
	time.Sleep(base + rand.N(base)) //nolint:gosec // a pause, not a secret
}

// runTx is one attempt of WithTx: one transaction, with the request's audit event.
func (db *DB) runTx(ctx context.Context, opts *sql.TxOptions, fn func(ctx context.Context) error) error {
	var (
		pending *audit.Pending
		eventID int64
	)
	defer func() { // also when fn panics: the event is free for the next transaction
		if pending != nil {
			pending.Settle(eventID, false)
		}
	}()
	err := db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		txCtx, outbox := event.NewBatch(context.WithValue(ctx, txKey{}, tx))
		state := &txState{outbox: outbox}
		txCtx = context.WithValue(txCtx, txStateKey{}, state)
		if err := fn(txCtx); err != nil {
			return err
		}
		if p, ok := audit.PendingIn(txCtx); ok {
			pending = p
			id, err := db.appendEvent(txCtx, p.Event)
			eventID = id
			if err != nil {
				return err
			}
		}
		return db.appendOutbox(txCtx, state.outboxRows)
	}, txOptions(opts)...)
	if err == nil && pending != nil {
		pending.Settle(eventID, true)
		pending = nil
	}
	return translate(err)
}

// txOptions passes opts to gorm's Transaction when there are any.
func txOptions(opts *sql.TxOptions) []*sql.TxOptions {
	if opts == nil {
		return nil
	}
	return []*sql.TxOptions{opts}
}

// withOwnTx is WithTx without the request's audit event: for the audit trail's own writes.
func (db *DB) withOwnTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.WithTx(audit.WithoutEvent(ctx), fn)
}

// txState is what one attempt of an outermost transaction keeps beside its statements (runTx
// puts a fresh one in its context; a nested WithTx shares it).
type txState struct {
	locks  accountLocks // the credit accounts locked so far (ledger_lock.go)
	outbox *event.Batch // the events emitted so far

	mu     sync.Mutex
	packed []outboxRow // outbox rows of the first upto events, packed ahead (packAhead)
	upto   int
}

type txStateKey struct{}

// stateOf returns the state of ctx's transaction, or nil outside one.
func stateOf(ctx context.Context) *txState {
	st, _ := ctx.Value(txStateKey{}).(*txState)
	return st
}

// packAhead packs the events emitted so far into outbox rows, to be stored at the commit
// (outboxRows): work done while a statement runs in the transaction's background
// (awaitBackground) instead of between the last statement and the commit. Events that
// cannot be stored are left for outboxRows to report.
func (st *txState) packAhead() {
	st.mu.Lock()
	defer st.mu.Unlock()
	events := st.outbox.Events()
	rows, err := runs(events[st.upto:])
	if err != nil {
		return
	}
	st.packed = append(st.packed, rows...)
	st.upto = len(events)
}

// outboxRows returns the outbox rows of every event the transaction emitted: those packed
// ahead and the rest. Bundles split where packing ahead stopped.
func (st *txState) outboxRows() ([]outboxRow, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	events := st.outbox.Events()
	rows, err := runs(events[st.upto:])
	if err != nil {
		return nil, err
	}
	if len(st.packed) == 0 {
		return rows, nil
	}
	return append(st.packed, rows...), nil
}

// conn returns the transaction in ctx, or the pool, bound to ctx. Under statements running
// in the transaction's background (inBackground) it waits for them first, and when they
// failed the gorm handle it returns carries their error, so that gorm runs nothing.
func (db *DB) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		g := tx.WithContext(ctx)
		if err := awaitBackground(ctx); err != nil {
			_ = g.AddError(err)
		}
		return g
	}
	return db.gorm.WithContext(ctx)
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
