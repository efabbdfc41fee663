package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"skillrecord/internal/credit"
	"skillrecord/internal/testenv"
)

// BenchmarkAppend1000 appends 1,000 postings over 1,000 workers in one transaction on MariaDB:
// for workers without accounts yet (each iteration new ones), and for workers whose accounts
// exist. It reports ledger rows written per second.
func BenchmarkAppend1000(b *testing.B) {
	db := testenv.MySQL(b)
	const n = 1000
	run := func(b *testing.B, workers func(iter int) []string) {
		for i := 0; b.Loop(); i++ {
			ids := workers(i)
			postings := make([]credit.Posting, n)
			for j := range postings {
				postings[j] = earn(ids[j], credit.Tenths(1+j%100), fmt.Sprintf("B%d-%d", i, j))
			}
			err := db.WithTx(context.Background(), func(ctx context.Context) error {
				_, err := db.Ledger().Append(ctx, postings)
				return err
			})
			require.NoError(b, err)
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run("new_accounts", func(b *testing.B) {
		run(b, func(int) []string { return newWorkerIDs(n) })
	})
	b.Run("existing_accounts", func(b *testing.B) {
		ids := newWorkerIDs(n)
		run(b, func(int) []string { return ids })
	})
}

func newWorkerIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = newWorkerID()
	}
	return ids
}
