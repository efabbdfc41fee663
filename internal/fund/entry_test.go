package fund_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/fund"
)

func chain(n int) []fund.Entry {
	var (
		out  []fund.Entry
		seq  int64
		hash []byte
	)
	for i := range n {
		e := fund.Chain(seq, hash, fund.Entry{Source: fund.SourceEmploymentSubsidy, Year: 2026, Kind: fund.KindDisbursement,
			Amount: fund.Cents(1000 * (i + 1)), ClaimID: "c", Reference: "r", CreatedAt: time.Unix(int64(i), 0)})
		out = append(out, e)
		seq, hash = e.Seq, e.Hash
	}
	return out
}

func TestVerify_AnIntactChainHolds(t *testing.T) {
	bad, ok := fund.Verify(chain(5))
	assert.True(t, ok)
	assert.Zero(t, bad)
	_, ok = fund.Verify(nil)
	assert.True(t, ok)
}

func TestVerify_AChangedRemovedOrSwappedEntryIsFoundAtItsSeq(t *testing.T) {
	changed := chain(5)
	changed[2].Amount++
	bad, ok := fund.Verify(changed)
	assert.False(t, ok)
	assert.EqualValues(t, 3, bad)

	removed := chain(5)
	removed = append(removed[:1], removed[2:]...)
	bad, _ = fund.Verify(removed)
	assert.EqualValues(t, 2, bad)

	swapped := chain(5)
	swapped[3], swapped[4] = swapped[4], swapped[3]
	bad, _ = fund.Verify(swapped)
	assert.EqualValues(t, 4, bad)
}

func TestBudget_CoversUpToItsAmount(t *testing.T) {
	b := fund.Budget{BudgetCents: 100, DisbursedCents: 40}
	assert.True(t, b.Covers(60))
	assert.False(t, b.Covers(61))
	assert.EqualValues(t, 60, b.Balance())
}
