package sqlstore_test

import (
	"context"
	"iter"
	"testing"

	"skillrecord/internal/testenv"
	"skillrecord/internal/worker"
)

const benchRows = 10_000

// benchSeq yields benchRows new cardholders starting at the n-th.
func benchSeq(first int) iter.Seq2[worker.ImportRow, error] {
	return func(yield func(worker.ImportRow, error) bool) {
		for i := first; i < first+benchRows; i++ {
			r := worker.ImportRow{SSN: string(nthSSN(i)), Name: nthName(i), CardNumber: nthCard(i), IssueArea: "370400", CardStatus: "active", IssuedOn: "2020-02-02"}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// BenchmarkImport10k imports 10,000 new cardholders (a worker and a card each) an iteration on
// MariaDB, from validated rows to committed chunks.
func BenchmarkImport10k(b *testing.B) {
	s := testenv.MySQL(b).Workers(testKeys(b))
	ctx := context.Background()
	n := 0
	for b.Loop() {
		res, err := worker.Import(ctx, s, benchSeq(n*benchRows), registryNow)
		if err != nil || res.Imported != benchRows {
			b.Fatalf("import: %+v, %v", res.Imported, err)
		}
		n++
	}
	b.ReportMetric(float64(n*benchRows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImport10kUnchanged imports the same 10,000 registered cardholders again: the
// lookups run, nothing is written.
func BenchmarkImport10kUnchanged(b *testing.B) {
	s := testenv.MySQL(b).Workers(testKeys(b))
	ctx := context.Background()
	if _, err := worker.Import(ctx, s, benchSeq(0), registryNow); err != nil {
		b.Fatal(err)
	}
	n := 0
	for b.Loop() {
		res, err := worker.Import(ctx, s, benchSeq(0), registryNow)
		if err != nil || res.Updated != benchRows {
			b.Fatalf("import: %+v, %v", res.Updated, err)
		}
		n++
	}
	b.ReportMetric(float64(n*benchRows)/b.Elapsed().Seconds(), "rows/s")
}
