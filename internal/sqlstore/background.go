package sqlstore

import (
	"context"
	"fmt"

	"skillrecord/internal/errs"
)

// A transaction's statements run one at a time on its connection, and the Go work between
// them (building the next statement, chaining ledger entries, encoding events) leaves the
// database idle. inBackground lets a long statement run while that work goes on: fn runs the
// statements it needs on another goroutine, and every statement issued under the returned
// context first waits for fn to finish (awaitBackground in exec, query and conn) and, when fn
// failed, fails with fn's error instead of running: after a deadlock the server has rolled
// the transaction back, and a later statement would run outside it.

// backgroundKey carries the statements running in the background of a transaction.
type backgroundKey struct{}

type background struct {
	done chan struct{}
	err  error
}

// inBackground starts fn on its own goroutine with ctx, which must carry a transaction, and
// returns the context for the caller's own work and the function that waits for fn and
// returns its error; call it (it may be called again) before the transaction's function
// returns. Meanwhile the caller must keep to work without statements, or to statements that
// can wait: they do.
func (db *DB) inBackground(ctx context.Context, fn func(ctx context.Context) error) (context.Context, func() error) {
	if err := requireTx(ctx); err != nil {
		return ctx, func() error { return err }
	}
	b := &background{done: make(chan struct{})}
	go func() {
		defer close(b.done)
		defer func() {
			if p := recover(); p != nil {
				b.err = errs.Internal(fmt.Errorf("panic in a background statement: %v", p), "database error")
			}
		}()
		b.err = fn(ctx)
	}()
	wait := func() error {
		<-b.done
		return b.err
	}
	return context.WithValue(ctx, backgroundKey{}, b), wait
}

// awaitBackground waits for the statements started in the background of ctx's transaction,
// if any, and returns their error.
func awaitBackground(ctx context.Context) error {
	b, ok := ctx.Value(backgroundKey{}).(*background)
	if !ok {
		return nil
	}
	select {
	case <-b.done:
		return b.err
	default:
	}
	if st := stateOf(ctx); st != nil {
		st.packAhead() // the outbox rows of the events so far, while the database works
	}
	<-b.done
	return b.err
}
