package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/sqlstore"
)

// TestLease_OneHolderAtATime takes a lease, sees a second taker refused with lease_held,
// releases it and sees it taken again; on MariaDB and SQLite.
func TestLease_OneHolderAtATime(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			first, err := db.AcquireLease(ctx, "job", time.Minute, time.Now)
			require.NoError(t, err)

			_, err = db.AcquireLease(ctx, "job", time.Minute, time.Now)
			require.Error(t, err)
			assert.Equal(t, errs.KindConflict, errs.KindOf(err))
			assert.Equal(t, sqlstore.CodeLeaseHeld, errs.CodeOf(err))

			other, err := db.AcquireLease(ctx, "other-job", time.Minute, time.Now)
			require.NoError(t, err, "leases of other names are independent")
			require.NoError(t, other.Release(ctx))

			require.NoError(t, first.Release(ctx))
			require.NoError(t, first.Release(ctx), "a second release is harmless")
			again, err := db.AcquireLease(ctx, "job", time.Minute, time.Now)
			require.NoError(t, err)
			require.NoError(t, again.Release(ctx))
		})
	}
}

// TestLease_ConcurrentTakersExactlyOneWins starts eight takers at once.
func TestLease_ConcurrentTakersExactlyOneWins(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			var (
				wg     sync.WaitGroup
				mu     sync.Mutex
				won    []*sqlstore.Lease
				codes  []string
				starts = make(chan struct{})
			)
			for range 8 {
				wg.Go(func() {
					<-starts
					l, err := db.AcquireLease(ctx, "seed", time.Minute, time.Now)
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						won = append(won, l)
						return
					}
					codes = append(codes, errs.CodeOf(err))
				})
			}
			close(starts)
			wg.Wait()
			require.Len(t, won, 1)
			assert.Len(t, codes, 7)
			for _, c := range codes {
				assert.Equal(t, sqlstore.CodeLeaseHeld, c)
			}
			require.NoError(t, won[0].Release(ctx))
		})
	}
}

// TestLease_AnExpiredLeaseIsTakenOver: a holder that died (no renewal) leaves a lease that a
// new taker gets once it has expired.
func TestLease_AnExpiredLeaseIsTakenOver(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			past := func() time.Time { return time.Now().Add(-time.Hour) }
			dead, err := db.AcquireLease(ctx, "seed", time.Minute, past) // expired an hour ago… minus a minute
			require.NoError(t, err)
			t.Cleanup(func() { _ = dead.Release(ctx) })

			l, err := db.AcquireLease(ctx, "seed", time.Minute, time.Now)
			require.NoError(t, err, "the expired lease is taken over")
			require.NoError(t, l.Release(ctx))
		})
	}
}
