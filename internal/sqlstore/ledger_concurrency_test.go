package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/sqlstore"
)

// concurrently runs fn(0..n-1) in n goroutines released together and returns their errors.
// Each fn runs its own transaction; none is retried, so a deadlock fails the test.
func concurrently(n int, fn func(i int) error) []error {
	out := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			out[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return out
}

func TestLedger_FiftyConcurrentPostingsForOneWorker(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorkerID()
		p := newPoster(db, credit.DefaultRules())
		const n = 50
		var want credit.Tenths
		for i := range n {
			want += p.Rules.TrainingCredits(16+i, true)
		}
		for i, err := range concurrently(n, func(i int) error {
			return db.WithTx(ctx, func(ctx context.Context) error {
				_, err := p.TrainingPosted(ctx, w, fmt.Sprintf("T-%02d", i), 16+i, true)
				return err
			})
		}) {
			require.NoError(t, err, "posting %d", i)
		}

		entries := requireIntact(t, db, w)
		require.Len(t, entries, n)
		seen := map[string]int{}
		for i, e := range entries {
			assert.Equal(t, int64(i+1), e.Seq)
			seen[e.SourceID]++
		}
		for i := range n {
			assert.Equal(t, 1, seen[fmt.Sprintf("T-%02d", i)], "posting %d has exactly one entry", i)
		}
		acct, err := db.Ledger().Account(ctx, w)
		require.NoError(t, err)
		assert.Equal(t, want, acct.Balance)
		assert.Equal(t, want, entries[n-1].BalanceAfter)
		assert.Equal(t, int64(n), acct.LastSeq)
	})
}

func TestLedger_ConcurrentBatchesWithOverlappingWorkers(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		workers := make([]string, 12)
		for i := range workers {
			workers[i] = newWorkerID()
		}
		// Each batch names a random subset of the workers in a random order, several postings
		// for some of them; batch 0 names everyone. Half the batches also check a certificate
		// occupation sum and a conversion under the lock, like the use cases do.
		const batches = 24
		plans := make([][]credit.Posting, batches)
		wantCount := map[string]int{}
		wantBalance := map[string]credit.Tenths{}
		rng := rand.New(rand.NewPCG(7, 11))
		for b := range plans {
			subset := slices.Clone(workers)
			rng.Shuffle(len(subset), func(i, j int) { subset[i], subset[j] = subset[j], subset[i] })
			if b > 0 {
				subset = subset[:2+rng.IntN(len(subset)-2)]
			}
			for k, w := range subset {
				for r := range 1 + k%3 {
					amount := credit.Tenths(1 + rng.IntN(100))
					plans[b] = append(plans[b], earn(w, amount, fmt.Sprintf("B%02d-%02d-%d", b, k, r)))
					wantCount[w]++
					wantBalance[w] += amount
				}
			}
		}
		results := concurrently(batches, func(b int) error {
			return db.WithTx(ctx, func(ctx context.Context) error {
				if b%2 == 1 {
					ids := make([]string, 0, len(plans[b]))
					for _, p := range plans[b] {
						ids = append(ids, p.WorkerID)
					}
					if _, err := db.Ledger().LockAccounts(ctx, ids...); err != nil {
						return err
					}
					if _, err := db.Ledger().OccupationSum(ctx, ids[0], "6-18-01-01"); err != nil {
						return err
					}
				}
				_, err := db.Ledger().Append(ctx, plans[b])
				return err
			})
		})
		for b, err := range results {
			require.NoError(t, err, "batch %d", b)
		}
		for _, w := range workers {
			entries := requireIntact(t, db, w)
			assert.Len(t, entries, wantCount[w])
			acct, err := db.Ledger().Account(ctx, w)
			require.NoError(t, err)
			assert.Equal(t, wantBalance[w], acct.Balance)
		}
	})
}

// TestLedger_ConcurrentConversionsNeverOverdraw: conversions decide under the lock, so two
// that together exceed the balance cannot both pass.
func TestLedger_ConcurrentConversionsNeverOverdraw(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorkerID()
		p := newPoster(db, credit.DefaultRules())
		appendTx(t, db, earn(w, 100, "T-1"))
		const n = 10
		results := concurrently(n, func(i int) error {
			return db.WithTx(ctx, func(ctx context.Context) error {
				_, err := p.Convert(ctx, w, fmt.Sprintf("CONV-%d", i), 30)
				return err
			})
		})
		var passed int
		for _, err := range results {
			if err == nil {
				passed++
			} else {
				assert.Equal(t, credit.CodeInsufficientCredits, errs.CodeOf(err))
			}
		}
		assert.Equal(t, 3, passed, "10 credits cover three conversions of 3")
		acct, err := db.Ledger().Account(ctx, w)
		require.NoError(t, err)
		assert.Equal(t, credit.Tenths(10), acct.Balance)
		requireIntact(t, db, w)
	})
}
