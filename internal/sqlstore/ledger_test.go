package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/sqlstore"
)

// ledgerNow is the ledger tests' clock.
var ledgerNow = time.Date(2026, 11, 27, 8, 30, 0, 123456789, time.UTC)

// errRollback makes a WithTx roll back on purpose.
var errRollback = errors.New("roll back on purpose")

// eachLedger runs test against the ledger on MariaDB and on SQLite: one contract, two
// implementations.
func eachLedger(t *testing.T, test func(t *testing.T, db *sqlstore.DB)) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) { test(t, open(t)) })
	}
}

func newWorkerID() string { return uuid.NewString() }

// earn is a training posting of amount for worker, caused by training source.
func earn(worker string, amount credit.Tenths, source string) credit.Posting {
	return credit.Posting{
		WorkerID: worker, Kind: credit.KindTraining, Amount: amount, RuleVersion: "2026-1",
		SourceType: credit.SourceTraining, SourceID: source, CreatedAt: ledgerNow,
	}
}

// appendTx appends postings in a transaction of their own.
func appendTx(t testing.TB, db *sqlstore.DB, postings ...credit.Posting) []credit.Entry {
	t.Helper()
	var out []credit.Entry
	err := db.WithTx(context.Background(), func(ctx context.Context) (err error) {
		out, err = db.Ledger().Append(ctx, postings)
		return err
	})
	require.NoError(t, err)
	return out
}

// requireIntact checks the worker's whole ledger: the chain verifies, and the account's head
// and totals are what its entries add up to. It returns the entries.
func requireIntact(t testing.TB, db *sqlstore.DB, worker string) []credit.Entry {
	t.Helper()
	ctx := context.Background()
	entries, err := db.Ledger().AllEntries(ctx, worker)
	require.NoError(t, err)
	bad, ok := credit.Verify(entries)
	require.Truef(t, ok, "the chain breaks at seq %d", bad)
	want := credit.Account{WorkerID: worker}
	for _, e := range entries {
		want = want.Add(e)
	}
	got, err := db.Ledger().Account(ctx, worker)
	require.NoError(t, err)
	require.Equal(t, want, got, "the account matches its entries")
	require.Equal(t, got.Balance, got.Earned-got.Converted-got.Reversed)
	return entries
}

func TestLedger_AppendChainsEntriesAndKeepsTheAccount(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a, b := newWorkerID(), newWorkerID()
		got := appendTx(t, db,
			earn(a, 25, "T-1"),
			earn(b, 100, "T-2"),
			earn(a, 0, "T-3"), // earns nothing: no entry
			credit.Posting{WorkerID: a, Kind: credit.KindCertificate, Amount: 50, RuleVersion: "2026-1",
				SourceType: credit.SourceCertificate, SourceID: "CERT-0001", OccupationCode: "6-18-01-01", CreatedAt: ledgerNow},
		)
		require.Len(t, got, 3)
		assert.Equal(t, []int64{1, 1, 2}, []int64{got[0].Seq, got[1].Seq, got[2].Seq})
		assert.Equal(t, []credit.Tenths{25, 100, 75}, []credit.Tenths{got[0].BalanceAfter, got[1].BalanceAfter, got[2].BalanceAfter})
		assert.Equal(t, got[0].Hash, got[2].PrevHash)
		assert.Equal(t, ledgerNow.Truncate(time.Microsecond), got[0].CreatedAt)

		got2 := appendTx(t, db,
			credit.Posting{WorkerID: a, Kind: credit.KindConversion, Amount: -30, SourceType: credit.SourceConversion, SourceID: "CONV-1", CreatedAt: ledgerNow.Add(time.Hour)},
			credit.Posting{WorkerID: a, Kind: credit.KindTrainingVoid, Amount: -25, RuleVersion: "2026-1", SourceType: credit.SourceTraining, SourceID: "T-1", CreatedAt: ledgerNow.Add(time.Hour)},
		)
		require.Len(t, got2, 2)
		assert.Equal(t, int64(3), got2[0].Seq)
		assert.Equal(t, credit.Tenths(20), got2[1].BalanceAfter)

		entries := requireIntact(t, db, a)
		assert.Equal(t, append(got[0:1], append(got[2:3], got2...)...), entries, "what Append returned is what is stored")
		acct, err := db.Ledger().Account(ctx, a)
		require.NoError(t, err)
		assert.Equal(t, credit.Account{WorkerID: a, Balance: 20, Earned: 75, Converted: 30, Reversed: 25, LastSeq: 4,
			UpdatedAt: ledgerNow.Add(time.Hour).Truncate(time.Microsecond)}, acct)
		requireIntact(t, db, b)

		none, err := db.Ledger().Account(ctx, newWorkerID())
		require.NoError(t, err)
		assert.Zero(t, none.Balance)
		assert.Zero(t, none.LastSeq)
	})
}

func TestLedger_EntriesPageIsNewestFirst(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorkerID()
		var ps []credit.Posting
		for i := 1; i <= 7; i++ {
			ps = append(ps, earn(w, credit.Tenths(i), fmt.Sprintf("T-%d", i)))
		}
		appendTx(t, db, ps...)
		appendTx(t, db, earn(newWorkerID(), 5, "T-other"))

		seqs := func(es []credit.Entry) (out []int64) {
			for _, e := range es {
				out = append(out, e.Seq)
			}
			return out
		}
		first, err := db.Ledger().EntriesPage(ctx, w, 0, 3)
		require.NoError(t, err)
		assert.Equal(t, []int64{7, 6, 5}, seqs(first))
		next, err := db.Ledger().EntriesPage(ctx, w, first[len(first)-1].Seq, 3)
		require.NoError(t, err)
		assert.Equal(t, []int64{4, 3, 2}, seqs(next))
		last, err := db.Ledger().EntriesPage(ctx, w, 2, 3)
		require.NoError(t, err)
		assert.Equal(t, []int64{1}, seqs(last))
		empty, err := db.Ledger().EntriesPage(ctx, newWorkerID(), 0, 3)
		require.NoError(t, err)
		assert.Empty(t, empty)
	})
}

func TestLedger_SourceEntriesListWhatASourceCaused(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorkerID()
		appendTx(t, db, earn(w, 25, "T-1"), earn(w, 40, "T-2"))
		appendTx(t, db, credit.Posting{WorkerID: w, Kind: credit.KindTrainingVoid, Amount: -25, RuleVersion: "2026-1",
			SourceType: credit.SourceTraining, SourceID: "T-1", CreatedAt: ledgerNow})
		got, err := db.Ledger().SourceEntries(context.Background(), credit.SourceTraining, "T-1")
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, []credit.Tenths{25, -25}, []credit.Tenths{got[0].Amount, got[1].Amount})
		none, err := db.Ledger().SourceEntries(context.Background(), credit.SourceCertificate, "T-1")
		require.NoError(t, err)
		assert.Empty(t, none)
	})
}

func TestLedger_WritesOutsideATransactionAreRefused(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := newWorkerID()
		l := db.Ledger()
		_, err := l.Append(ctx, []credit.Posting{earn(w, 25, "T-1")})
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))
		assert.ErrorContains(t, err, "outside a transaction")
		_, err = l.LockAccounts(ctx, w)
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))
		_, err = l.OccupationSum(ctx, w, "6-18-01-01")
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))
		_, err = l.SourceSum(ctx, w, credit.SourceTraining, "T-1")
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))

		acct, err := l.Account(ctx, w)
		require.NoError(t, err)
		assert.Zero(t, acct.LastSeq)
		entries, err := l.AllEntries(ctx, w)
		require.NoError(t, err)
		assert.Empty(t, entries)
	})
}

func TestLedger_RolledBackTransactionLeavesNothing(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w, fresh := newWorkerID(), newWorkerID()
		appendTx(t, db, earn(w, 25, "T-1"))
		before, err := db.Ledger().Account(ctx, w)
		require.NoError(t, err)

		err = db.WithTx(ctx, func(ctx context.Context) error {
			got, err := db.Ledger().Append(ctx, []credit.Posting{earn(w, 40, "T-2"), earn(fresh, 10, "T-3")})
			require.NoError(t, err)
			require.Len(t, got, 2)
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)

		after, err := db.Ledger().Account(ctx, w)
		require.NoError(t, err)
		assert.Equal(t, before, after)
		assert.Len(t, requireIntact(t, db, w), 1)
		assert.Empty(t, requireIntact(t, db, fresh))
		var accounts int
		require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM credit_accounts WHERE worker_id = ?", fresh).Scan(&accounts))
		assert.Zero(t, accounts, "not even the account row is left")

		// The next posting continues the chain as if the rolled-back one never happened.
		got := appendTx(t, db, earn(w, 40, "T-2"))
		assert.Equal(t, int64(2), got[0].Seq)
		requireIntact(t, db, w)
	})
}

func TestLedger_BadPostingFailsTheWholeCall(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorkerID()
		err := db.WithTx(context.Background(), func(ctx context.Context) error {
			_, err := db.Ledger().Append(ctx, []credit.Posting{
				earn(w, 25, "T-1"),
				{WorkerID: w, Kind: credit.KindConversion, Amount: 30, SourceType: credit.SourceConversion, SourceID: "C-1"},
			})
			return err
		})
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))
		assert.Empty(t, requireIntact(t, db, w))
	})
}

func TestLedger_TamperedEntryIsDetectedAtItsSeq(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorkerID()
		for i := 1; i <= 5; i++ {
			appendTx(t, db, earn(w, credit.Tenths(10*i), fmt.Sprintf("T-%d", i)))
		}
		requireIntact(t, db, w)

		res, err := db.SQL().Exec("UPDATE credit_entries SET amount = amount + 10, balance_after = balance_after + 10 WHERE worker_id = ? AND seq = 3", w)
		require.NoError(t, err)
		n, err := res.RowsAffected()
		require.NoError(t, err)
		require.Equal(t, int64(1), n)

		entries, err := db.Ledger().AllEntries(context.Background(), w)
		require.NoError(t, err)
		bad, ok := credit.Verify(entries)
		assert.False(t, ok)
		assert.Equal(t, int64(3), bad)
	})
}

// TestLedger_AppendIssuesAHandfulOfStatements posts 1,000 postings over 1,000 workers (and
// then over the same, now existing, accounts) and counts the statements.
func TestLedger_AppendIssuesAHandfulOfStatements(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		postings := make([]credit.Posting, 1000)
		for i := range postings {
			postings[i] = earn(newWorkerID(), credit.Tenths(1+i%100), fmt.Sprintf("T-%d", i))
		}
		n, err := sqlstore.CountStatements(db)
		require.NoError(t, err)
		for _, round := range []string{"new accounts", "existing accounts"} {
			n.Store(0)
			got := appendTx(t, db, postings...)
			require.Len(t, got, 1000)
			// which exist 1 (MySQL) + insert-if-absent 1 (new accounts, or always on SQLite) +
			// lock 1 + entries 1 + accounts 1
			assert.LessOrEqual(t, n.Load(), int64(5), "%s: statements for 1,000 postings", round)
			t.Logf("%s: %d statements for 1,000 postings", round, n.Load())
		}
		requireIntact(t, db, postings[0].WorkerID)
		requireIntact(t, db, postings[999].WorkerID)
	})
}

// TestLedger_SumsSeeEntriesCommittedAfterTheSnapshot: on MySQL a transaction that read
// something before taking the worker's lock holds an older snapshot; the sums that feed a
// posting must still count the entries committed in between.
func TestLedger_SumsSeeEntriesCommittedAfterTheSnapshot(t *testing.T) {
	db := dialects(t)["mysql"](t)
	ctx := context.Background()
	w := newWorkerID()
	poster := &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: func() time.Time { return ledgerNow }}
	l5 := credit.HeldCertificate{Type: "skill_level", Level: 5, Valid: true}
	l3 := credit.HeldCertificate{Type: "skill_level", Level: 3, Valid: true}
	appendTx(t, db, earn(w, 25, "T-1")) // so that the account exists

	err := db.WithTx(ctx, func(ctx context.Context) error {
		// A plain read fixes this transaction's snapshot.
		_, err := db.Ledger().AllEntries(ctx, w)
		require.NoError(t, err)

		// Meanwhile another transaction posts the L5 and a training, and commits.
		require.NoError(t, db.WithTx(context.Background(), func(other context.Context) error {
			if _, err := poster.CertificatesChanged(other, w, "6-18-01-01", []credit.HeldCertificate{l5}, credit.SourceCertificate, "CERT-L5"); err != nil {
				return err
			}
			_, err := poster.TrainingPosted(other, w, "T-2", 40, true)
			return err
		}))

		e, err := poster.CertificatesChanged(ctx, w, "6-18-01-01", []credit.HeldCertificate{l5, l3}, credit.SourceCertificate, "CERT-L3")
		require.NoError(t, err)
		require.NotNil(t, e)
		assert.Equal(t, credit.Tenths(150), e.Amount, "+15 on top of the L5's +5 that committed after the snapshot")
		assert.Equal(t, int64(4), e.Seq)

		earned, err := db.Ledger().SourceSum(ctx, w, credit.SourceTraining, "T-2")
		require.NoError(t, err)
		assert.Equal(t, credit.Tenths(25), earned)
		return nil
	})
	require.NoError(t, err)
	requireIntact(t, db, w)
}

// TestLedger_AccountsLockedInATransactionAreNotReadAgain locks two accounts, appends to them
// and locks and appends again in the same transaction: the second lock issues no statement
// and gives the heads the first append wrote, so that the second append chains after it. A
// batch of gold-blue-collar records locks its workers' accounts for the indicator counts and
// then for its credits.
func TestLedger_AccountsLockedInATransactionAreNotReadAgain(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		a, b := newWorkerID(), newWorkerID()
		appendTx(t, db, earn(a, 5, "T-0")) // a exists, b is new
		n, err := sqlstore.CountStatements(db)
		require.NoError(t, err)
		err = db.WithTx(context.Background(), func(ctx context.Context) error {
			first, err := db.Ledger().LockAccounts(ctx, a, b)
			require.NoError(t, err)
			assert.Equal(t, credit.Tenths(5), first[a].Balance)
			_, err = db.Ledger().Append(ctx, []credit.Posting{earn(a, 10, "T-1"), earn(b, 20, "T-2")})
			require.NoError(t, err)

			n.Store(0)
			again, err := db.Ledger().LockAccounts(ctx, b, a)
			require.NoError(t, err)
			assert.Zero(t, n.Load(), "statements to lock accounts the transaction holds")
			assert.Equal(t, credit.Account{WorkerID: a, Balance: 15, Earned: 15, LastSeq: 2, UpdatedAt: ledgerNow.Truncate(time.Microsecond)}, again[a])
			assert.Equal(t, credit.Account{WorkerID: b, Balance: 20, Earned: 20, LastSeq: 1, UpdatedAt: ledgerNow.Truncate(time.Microsecond)}, again[b])

			entries, err := db.Ledger().Append(ctx, []credit.Posting{earn(a, 1, "T-3"), earn(b, 2, "T-4")})
			require.NoError(t, err)
			assert.Equal(t, []int64{3, 2}, []int64{entries[0].Seq, entries[1].Seq})
			return nil
		})
		require.NoError(t, err)
		assert.Len(t, requireIntact(t, db, a), 3)
		assert.Len(t, requireIntact(t, db, b), 2)
	})
}

// TestLedger_ARolledBackTransactionLeavesNoHeldAccounts: the heads a rolled-back attempt
// wrote are gone, and the next transaction reads the accounts again.
func TestLedger_ARolledBackTransactionLeavesNoHeldAccounts(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		a := newWorkerID()
		appendTx(t, db, earn(a, 5, "T-0"))
		err := db.WithTx(context.Background(), func(ctx context.Context) error {
			_, err := db.Ledger().Append(ctx, []credit.Posting{earn(a, 10, "T-1")})
			require.NoError(t, err)
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		entries := appendTx(t, db, earn(a, 1, "T-2"))
		require.Len(t, entries, 1)
		assert.Equal(t, int64(2), entries[0].Seq)
		assert.Equal(t, credit.Tenths(6), entries[0].BalanceAfter)
		requireIntact(t, db, a)
	})
}

// TestLedger_ARetriedTransactionReadsTheAccountsAgain: an attempt that appended and was then
// refused with a deadlock leaves nothing kept for the next attempt, which locks the accounts
// with a statement and chains after what is committed, not after the rolled-back entry.
func TestLedger_ARetriedTransactionReadsTheAccountsAgain(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		a := newWorkerID()
		appendTx(t, db, earn(a, 5, "T-0"))
		n, err := sqlstore.CountStatements(db)
		require.NoError(t, err)
		attempts := 0
		err = db.WithTx(context.Background(), func(ctx context.Context) error {
			attempts++
			if attempts == 1 {
				_, err := db.Ledger().Append(ctx, []credit.Posting{earn(a, 10, "T-1")})
				require.NoError(t, err)
				return &mysql.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock"}
			}
			n.Store(0)
			accounts, err := db.Ledger().LockAccounts(ctx, a)
			require.NoError(t, err)
			assert.Positive(t, n.Load(), "the retried attempt reads the account")
			assert.Equal(t, credit.Tenths(5), accounts[a].Balance, "the first attempt's entry was rolled back")
			entries, err := db.Ledger().Append(ctx, []credit.Posting{earn(a, 1, "T-2")})
			require.NoError(t, err)
			assert.Equal(t, int64(2), entries[0].Seq)
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, 2, attempts)
		assert.Len(t, requireIntact(t, db, a), 2)
	})
}
