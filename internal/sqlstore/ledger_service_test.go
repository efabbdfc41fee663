package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/configs"
	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/sqlstore"
)

// The Poster's tests run it on the real ledger of each dialect.

func newPoster(db *sqlstore.DB, rules *credit.Rules) *credit.Poster {
	return &credit.Poster{Ledger: db.Ledger(), Rules: rules, Now: func() time.Time { return ledgerNow }}
}

// postTx runs one Poster call in a transaction of its own and returns the entry's amount (0
// when nothing was posted).
func postTx(t *testing.T, db *sqlstore.DB, call func(ctx context.Context) (*credit.Entry, error)) credit.Tenths {
	t.Helper()
	var amount credit.Tenths
	require.NoError(t, db.WithTx(context.Background(), func(ctx context.Context) error {
		e, err := call(ctx)
		if e != nil {
			amount = e.Amount
			assert.NotZero(t, e.Amount, "an entry is never zero")
		}
		return err
	}))
	return amount
}

func TestPoster_CertificatesFollowTheHighestLevelPerOccupation(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		p := newPoster(db, credit.DefaultRules())
		w := newWorkerID()
		const welder, cook = "6-18-01-01", "4-03-02-01"
		cert := func(level int, valid bool) credit.HeldCertificate {
			return credit.HeldCertificate{Type: "skill_level", Level: level, Valid: valid}
		}
		changed := func(occupation, certNo string, held ...credit.HeldCertificate) credit.Tenths {
			return postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
				if _, err := p.Lock(ctx, w); err != nil { // as the certificate use case does before reading held
					return nil, err
				}
				return p.CertificatesChanged(ctx, w, occupation, held, credit.SourceCertificate, certNo)
			})
		}

		assert.Equal(t, credit.Tenths(50), changed(welder, "W-L5", cert(5, true)), "L5 issued: +5")
		assert.Equal(t, credit.Tenths(150), changed(welder, "W-L3A", cert(5, true), cert(3, true)), "L3 issued: +15")
		assert.Equal(t, credit.Tenths(-150), changed(welder, "W-L3A", cert(5, true), cert(3, false)), "that L3 revoked: −15")
		assert.Equal(t, credit.Tenths(150), changed(welder, "W-L3B", cert(5, true), cert(3, false), cert(3, true)), "another L3: +15")
		assert.Zero(t, changed(welder, "W-L5", cert(5, false), cert(3, false), cert(3, true)), "the L5 revoked while an L3 stands: no entry")
		assert.Equal(t, credit.Tenths(100), changed(cook, "C-L4", cert(4, true)), "another occupation counts on its own")

		// A special-ability certificate earns its fixed 3 beside the by-level rule, once.
		flat := p.Rules.CertificateCredits("special_ability", 0)
		assert.Equal(t, credit.Tenths(30), postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return p.FlatCertificate(ctx, w, "SA-1", flat)
		}))
		assert.Zero(t, postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return p.FlatCertificate(ctx, w, "SA-1", flat)
		}), "posting the same certificate again adds nothing")
		assert.Equal(t, credit.Tenths(-200), changed(welder, "W-L3B", cert(5, false), cert(3, false), cert(3, false)),
			"the flat certificate does not count towards an occupation")
		assert.Equal(t, credit.Tenths(-30), postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return p.FlatCertificateRevoked(ctx, w, "SA-1")
		}))
		assert.Zero(t, postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return p.FlatCertificateRevoked(ctx, w, "SA-1")
		}), "revoking twice reverses once")

		entries := requireIntact(t, db, w)
		require.Len(t, entries, 8)
		kinds := make([]string, len(entries))
		for i, e := range entries {
			kinds[i] = e.Kind
		}
		assert.Equal(t, []string{"certificate", "certificate", "certificate_revoke", "certificate", "certificate", "certificate", "certificate_revoke", "certificate_revoke"}, kinds)
		assert.Equal(t, "", entries[5].OccupationCode, "flat entries carry no occupation")
		acct, err := db.Ledger().Account(context.Background(), w)
		require.NoError(t, err)
		assert.Equal(t, credit.Tenths(100), acct.Balance, "only the cook's L4 is left")
		assert.Equal(t, credit.Tenths(480), acct.Earned)
		assert.Equal(t, credit.Tenths(380), acct.Reversed)
	})
}

func TestPoster_TrainingVoidReversesExactlyWhatItEarned(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorkerID()
		// The record is posted under other rules (1 credit per 8 hours) than those in force
		// when it is voided: the void takes back what was posted, not a recomputed amount.
		yaml := strings.Replace(string(configs.CreditRulesYAML), "hours_per_credit: 16", "hours_per_credit: 8", 1)
		yaml = strings.Replace(yaml, `"2026-1"`, `"2025-9"`, 1)
		older, err := credit.ParseRules([]byte(yaml))
		require.NoError(t, err)
		then, now := newPoster(db, older), newPoster(db, credit.DefaultRules())

		assert.Equal(t, credit.Tenths(50), postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return then.TrainingPosted(ctx, w, "T-1", 40, true)
		}))
		assert.Equal(t, credit.Tenths(25), postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return now.TrainingPosted(ctx, w, "T-2", 40, true)
		}))
		assert.Zero(t, postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return now.TrainingPosted(ctx, w, "T-3", 40, false)
		}), "a failed training earns nothing and writes nothing")

		assert.Equal(t, credit.Tenths(-50), postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return now.TrainingVoided(ctx, w, "T-1")
		}))
		assert.Zero(t, postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return now.TrainingVoided(ctx, w, "T-1")
		}), "voiding again reverses nothing")
		assert.Zero(t, postTx(t, db, func(ctx context.Context) (*credit.Entry, error) {
			return now.TrainingVoided(ctx, w, "T-3")
		}), "voiding a record that earned nothing writes nothing")

		entries := requireIntact(t, db, w)
		require.Len(t, entries, 3)
		assert.Equal(t, credit.KindTrainingVoid, entries[2].Kind)
		assert.Equal(t, "T-1", entries[2].SourceID)
		assert.Equal(t, "2025-9", entries[0].RuleVersion)
		acct, err := db.Ledger().Account(context.Background(), w)
		require.NoError(t, err)
		assert.Equal(t, credit.Account{WorkerID: w, Balance: 25, Earned: 75, Reversed: 50, LastSeq: 3, UpdatedAt: ledgerNow.Truncate(time.Microsecond)}, acct)
	})
}

func TestPoster_TrainingsPostedIsOneAppend(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		p := newPoster(db, credit.DefaultRules())
		a, b := newWorkerID(), newWorkerID()
		var got []credit.Entry
		require.NoError(t, db.WithTx(context.Background(), func(ctx context.Context) (err error) {
			got, err = p.TrainingsPosted(ctx, []credit.TrainingCredit{
				{WorkerID: a, TrainingID: "T-1", Hours: 40, Passed: true},
				{WorkerID: b, TrainingID: "T-2", Hours: 2000, Passed: true},
				{WorkerID: a, TrainingID: "T-3", Hours: 40, Passed: false},
				{WorkerID: a, TrainingID: "T-4", Hours: 16, Passed: true},
			})
			return err
		}))
		require.Len(t, got, 3)
		assert.Equal(t, []string{"T-1", "T-2", "T-4"}, []string{got[0].SourceID, got[1].SourceID, got[2].SourceID})
		assert.Equal(t, credit.Tenths(35), got[2].BalanceAfter)
		assert.Len(t, requireIntact(t, db, a), 2)
		assert.Len(t, requireIntact(t, db, b), 1)
	})
}

func TestPoster_ConversionIsRefusedWhenTheBalanceIsShort(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		p := newPoster(db, credit.DefaultRules())
		w := newWorkerID()
		postTx(t, db, func(ctx context.Context) (*credit.Entry, error) { return p.TrainingPosted(ctx, w, "T-1", 40, true) })

		convert := func(amount credit.Tenths, outcome error) error {
			return db.WithTx(ctx, func(ctx context.Context) error {
				if _, err := p.Convert(ctx, w, "CONV-1", amount); err != nil {
					return err
				}
				return outcome
			})
		}
		err := convert(30, nil)
		require.Error(t, err)
		assert.Equal(t, errs.KindInvalid, errs.KindOf(err))
		assert.Equal(t, credit.CodeInsufficientCredits, errs.CodeOf(err))
		assert.Equal(t, credit.CodeInvalidCredits, errs.CodeOf(convert(0, nil)))
		assert.Len(t, requireIntact(t, db, w), 1, "a refused conversion writes nothing")

		require.ErrorIs(t, convert(20, errRollback), errRollback)
		assert.Len(t, requireIntact(t, db, w), 1, "a conversion whose transaction rolls back leaves nothing")

		require.NoError(t, convert(25, nil), "exactly the balance")
		entries := requireIntact(t, db, w)
		require.Len(t, entries, 2)
		assert.Equal(t, credit.Entry{WorkerID: w, Seq: 2, Kind: credit.KindConversion, Amount: -25, BalanceAfter: 0,
			SourceType: credit.SourceConversion, SourceID: "CONV-1", CreatedAt: entries[1].CreatedAt,
			PrevHash: entries[0].Hash, Hash: entries[1].Hash}, entries[1])
		acct, err := db.Ledger().Account(ctx, w)
		require.NoError(t, err)
		assert.Equal(t, credit.Tenths(25), acct.Converted)
		assert.Zero(t, acct.Balance)
		assert.Equal(t, credit.CodeInsufficientCredits, errs.CodeOf(convert(1, nil)), "nothing left to convert")
	})
}
