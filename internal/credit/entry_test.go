package credit_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/credit"
)

var cst = time.FixedZone("CST", 8*60*60)

// ledger builds a chained ledger of n entries for one worker.
func ledger(n int) []credit.Entry {
	amounts := []credit.Tenths{25, 50, 150, -150, -30, 100, 10}
	var out []credit.Entry
	var prev *credit.Entry
	at := time.Date(2026, 11, 27, 9, 0, 0, 123456789, cst)
	for i := range n {
		e := credit.Chain(prev, credit.Entry{
			WorkerID:    "w_7f3a9c",
			Kind:        credit.KindTraining,
			Amount:      amounts[i%len(amounts)],
			RuleVersion: "2026-1",
			SourceType:  "training",
			SourceID:    fmt.Sprintf("t_%d", i),
			CreatedAt:   at.Add(time.Duration(i) * time.Minute),
		})
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

func TestChain_FillsSeqBalanceAndHashes(t *testing.T) {
	l := ledger(5)
	var balance credit.Tenths
	for i, e := range l {
		balance += e.Amount
		assert.Equal(t, int64(i+1), e.Seq)
		assert.Equal(t, balance, e.BalanceAfter)
		assert.Len(t, e.Hash, 32)
		assert.Equal(t, e.Hash, e.ComputeHash(e.PrevHash))
		assert.Equal(t, time.UTC, e.CreatedAt.Location())
		assert.Zero(t, e.CreatedAt.Nanosecond()%1000, "microsecond precision")
		if i == 0 {
			assert.Empty(t, e.PrevHash)
		} else {
			assert.Equal(t, l[i-1].Hash, e.PrevHash)
		}
	}
	assert.Equal(t, credit.Tenths(25+50+150-150-30), l[4].BalanceAfter)
}

func TestChain_TakesTheWorkerFromThePreviousEntryAndCopiesItsHash(t *testing.T) {
	first := credit.Chain(nil, credit.Entry{WorkerID: "w1", Kind: credit.KindTraining, Amount: 10})
	next := credit.Chain(&first, credit.Entry{Kind: credit.KindConversion, Amount: -10})
	assert.Equal(t, "w1", next.WorkerID)
	assert.Equal(t, credit.Tenths(0), next.BalanceAfter)
	next.PrevHash[0] ^= 0xff
	assert.NotEqual(t, first.Hash, next.PrevHash, "PrevHash is a copy")
}

func TestComputeHash_CoversEveryField(t *testing.T) {
	base := ledger(2)[1]
	prev := base.PrevHash
	tests := []struct {
		name   string
		change func(*credit.Entry)
	}{
		{"worker", func(e *credit.Entry) { e.WorkerID += "x" }},
		{"seq", func(e *credit.Entry) { e.Seq++ }},
		{"kind", func(e *credit.Entry) { e.Kind = credit.KindTrainingVoid }},
		{"amount", func(e *credit.Entry) { e.Amount++ }},
		{"balance", func(e *credit.Entry) { e.BalanceAfter++ }},
		{"rule version", func(e *credit.Entry) { e.RuleVersion = "2026-2" }},
		{"source type", func(e *credit.Entry) { e.SourceType = "certificate" }},
		{"source id", func(e *credit.Entry) { e.SourceID += "0" }},
		{"occupation", func(e *credit.Entry) { e.OccupationCode = "6-18-01-01" }},
		{"created at by a microsecond", func(e *credit.Entry) { e.CreatedAt = e.CreatedAt.Add(time.Microsecond) }},
		{"field boundary moved", func(e *credit.Entry) { e.SourceType, e.SourceID = e.SourceType+e.SourceID[:1], e.SourceID[1:] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base
			tt.change(&e)
			assert.NotEqual(t, base.ComputeHash(prev), e.ComputeHash(prev))
		})
	}
	other := append([]byte(nil), prev...)
	other[31] ^= 1
	assert.NotEqual(t, base.ComputeHash(prev), base.ComputeHash(other), "prev hash")

	inCST := base
	inCST.CreatedAt = base.CreatedAt.In(cst)
	assert.Equal(t, base.ComputeHash(prev), inCST.ComputeHash(prev), "the same instant in another zone")
}

func TestVerify_AcceptsAnIntactLedger(t *testing.T) {
	for _, n := range []int{0, 1, 7} {
		bad, ok := credit.Verify(ledger(n))
		assert.True(t, ok, "n=%d", n)
		assert.Zero(t, bad)
	}
}

func TestVerify_FindsTheFirstTamperedEntry(t *testing.T) {
	tests := []struct {
		name   string
		tamper func([]credit.Entry) []credit.Entry
		want   int64
	}{
		{"amount changed", func(l []credit.Entry) []credit.Entry { l[2].Amount += 10; return l }, 3},
		{"amount and balance changed together", func(l []credit.Entry) []credit.Entry {
			l[2].Amount += 10
			for i := 2; i < len(l); i++ {
				l[i].BalanceAfter += 10
			}
			return l
		}, 3},
		{"balance changed", func(l []credit.Entry) []credit.Entry { l[4].BalanceAfter--; return l }, 5},
		{"created_at changed", func(l []credit.Entry) []credit.Entry { l[1].CreatedAt = l[1].CreatedAt.Add(-time.Hour); return l }, 2},
		{"kind changed", func(l []credit.Entry) []credit.Entry { l[0].Kind = credit.KindCertificate; return l }, 1},
		{"middle entry deleted", func(l []credit.Entry) []credit.Entry { return append(l[:3:3], l[4:]...) }, 4},
		{"first entry deleted", func(l []credit.Entry) []credit.Entry { return l[1:] }, 1},
		{"entries swapped", func(l []credit.Entry) []credit.Entry { l[3], l[4] = l[4], l[3]; return l }, 4},
		{"entries swapped and renumbered", func(l []credit.Entry) []credit.Entry {
			l[3], l[4] = l[4], l[3]
			l[3].Seq, l[4].Seq = 4, 5
			return l
		}, 4},
		{"entry rehashed after an edit", func(l []credit.Entry) []credit.Entry {
			l[2].Amount += 10
			l[2].BalanceAfter += 10
			l[2].Hash = l[2].ComputeHash(l[2].PrevHash)
			return l
		}, 4},
		{"hash replaced", func(l []credit.Entry) []credit.Entry { l[6].Hash = bytes.Repeat([]byte{1}, 32); return l }, 7},
		{"entry of another worker", func(l []credit.Entry) []credit.Entry {
			l[5].WorkerID = "w_other"
			l[5].Hash = l[5].ComputeHash(l[5].PrevHash)
			return l
		}, 6},
		{"first entry given a prev hash", func(l []credit.Entry) []credit.Entry { l[0].PrevHash = []byte{0}; return l }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad, ok := credit.Verify(tt.tamper(ledger(7)))
			assert.False(t, ok)
			assert.Equal(t, tt.want, bad)
		})
	}
}

func BenchmarkChain(b *testing.B) {
	prev := credit.Chain(nil, credit.Entry{WorkerID: "w_7f3a9c", Kind: credit.KindTraining, Amount: 25})
	next := credit.Entry{
		WorkerID: "w_7f3a9c", Kind: credit.KindCertificate, Amount: 150, RuleVersion: "2026-1",
		SourceType: "certificate", SourceID: "ZZ-2026-000123", OccupationCode: "6-18-01-01",
		CreatedAt: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC),
	}
	b.ReportAllocs()
	for b.Loop() {
		prev = credit.Chain(&prev, next)
	}
}

func BenchmarkVerify1000(b *testing.B) {
	l := ledger(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := credit.Verify(l); !ok {
			b.Fatal("ledger does not verify")
		}
	}
}
