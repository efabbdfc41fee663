package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
)

// TestInBackground_TheCallersStatementsWaitAndBothCommit runs a records INSERT in the
// background of a transaction while the caller appends to the ledger: both are committed, and
// the records are in when the caller's statement runs.
func TestInBackground_TheCallersStatementsWaitAndBothCommit(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		store := db.Trainings()
		rec := repTraining{inst: repInst1, ext: "BG-1", worker: "BG-W1", typ: training.TypeEmploymentSkills, end: repDay(2026, 10, 1)}.stored()
		err := store.WithTx(context.Background(), func(ctx context.Context) error {
			ctx, inserted := store.InBackground(ctx, func(ctx context.Context) error {
				return store.CreateTrainings(ctx, []training.Training{rec})
			})
			_, err := db.Ledger().Append(ctx, []credit.Posting{earn(rec.WorkerID, 25, rec.ID)})
			require.NoError(t, err)
			require.NoError(t, inserted())
			// Waited for: the INSERT has run, in this transaction.
			got, err := store.TrainingsByExternalID(ctx, repInst1, []string{"BG-1"})
			require.NoError(t, err)
			assert.Contains(t, got, "BG-1")
			return nil
		})
		require.NoError(t, err)
		got, err := store.TrainingsByExternalID(context.Background(), repInst1, []string{"BG-1"})
		require.NoError(t, err)
		assert.Equal(t, rec.ID, got["BG-1"].ID)
		assert.Len(t, requireIntact(t, db, rec.WorkerID), 1)
	})
}

// TestInBackground_AFailedStatementStopsTheCallers: when the background INSERT fails (here a
// duplicate external id), the caller's later statements do not run — they fail with its error
// — and the transaction leaves nothing. After a deadlock the server has rolled the
// transaction back, and a statement run then would be committed on its own.
func TestInBackground_AFailedStatementStopsTheCallers(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		store := db.Trainings()
		first := repTraining{inst: repInst1, ext: "BG-DUP", worker: "BG-W2", typ: training.TypeEmploymentSkills, end: repDay(2026, 10, 1)}.stored()
		require.NoError(t, store.WithTx(context.Background(), func(ctx context.Context) error {
			return store.CreateTrainings(ctx, []training.Training{first})
		}))
		again := repTraining{inst: repInst1, ext: "BG-DUP", worker: "BG-W3", typ: training.TypeEmploymentSkills, end: repDay(2026, 10, 2)}.stored()
		n, err := sqlstore.CountStatements(db)
		require.NoError(t, err)

		err = store.WithTx(context.Background(), func(ctx context.Context) error {
			ctx, inserted := store.InBackground(ctx, func(ctx context.Context) error {
				return store.CreateTrainings(ctx, []training.Training{again})
			})
			ierr := inserted()
			require.Error(t, ierr)
			n.Store(0)
			_, err := db.Ledger().Append(ctx, []credit.Posting{earn(again.WorkerID, 25, again.ID)})
			assert.Equal(t, ierr, err, "the caller's statement fails with the background's error")
			assert.Zero(t, n.Load(), "statements run after the background failed")
			_, err = db.Ledger().Account(ctx, again.WorkerID)
			assert.Equal(t, ierr, err, "a gorm read fails with it too, without running")
			return ierr
		})
		assert.Equal(t, errs.KindConflict, errs.KindOf(err))
		entries, err := db.Ledger().AllEntries(context.Background(), again.WorkerID)
		require.NoError(t, err)
		assert.Empty(t, entries)
	})
}

// TestInBackground_APanicIsAnError: a panic in the background work fails the transaction
// with an internal error instead of taking the process down.
func TestInBackground_APanicIsAnError(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		store := db.Trainings()
		err := store.WithTx(context.Background(), func(ctx context.Context) error {
			_, done := store.InBackground(ctx, func(context.Context) error { panic("boom") })
			return done()
		})
		assert.Equal(t, errs.KindInternal, errs.KindOf(err))
	})
}

// TestInBackground_NeedsATransaction: outside a transaction nothing is started.
func TestInBackground_NeedsATransaction(t *testing.T) {
	db := dialects(t)["sqlite"](t)
	ran := false
	_, done := db.Trainings().InBackground(context.Background(), func(context.Context) error { ran = true; return nil })
	assert.Equal(t, errs.KindInternal, errs.KindOf(done()))
	assert.False(t, ran)
}

// TestInBackground_EventsArePackedWhileTheStatementRuns: a statement that waits for the
// background packs the events emitted so far into outbox rows meanwhile; events emitted
// after go into rows of their own, and the feed gives all of them in emission order.
func TestInBackground_EventsArePackedWhileTheStatementRuns(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		store := db.Trainings()
		err := store.WithTx(context.Background(), func(ctx context.Context) error {
			for i := range 3 {
				require.NoError(t, event.Emit(ctx, posted(fmt.Sprintf("before-%d", i))))
			}
			ctx, done := store.InBackground(ctx, func(ctx context.Context) error {
				for deadline := time.Now().Add(time.Minute); sqlstore.PackedAhead(ctx) == 0; {
					if time.Now().After(deadline) {
						return errors.New("the waiting statement never packed the events")
					}
					time.Sleep(time.Millisecond)
				}
				return nil
			})
			_, err := db.Ledger().Append(ctx, []credit.Posting{earn(newWorkerID(), 10, "T-1")}) // waits
			require.NoError(t, err)
			require.NoError(t, done())
			assert.Equal(t, 3, sqlstore.PackedAhead(ctx))
			for i := range 2 {
				require.NoError(t, event.Emit(ctx, posted(fmt.Sprintf("after-%d", i))))
			}
			return nil
		})
		require.NoError(t, err)
		got, err := db.Outbox().Unsent(context.Background(), 0, 10)
		require.NoError(t, err)
		require.Len(t, got, 5)
		subjects := make([]string, len(got))
		for i, e := range got {
			subjects[i] = e.SubjectID
		}
		assert.Equal(t, []string{"before-0", "before-1", "before-2", "after-0", "after-1"}, subjects)
		assert.Equal(t, event.RowOf(got[0].Seq), event.RowOf(got[2].Seq), "the events packed ahead share a row")
		assert.NotEqual(t, event.RowOf(got[2].Seq), event.RowOf(got[3].Seq), "the later ones have their own")
		assert.Equal(t, event.RowOf(got[3].Seq), event.RowOf(got[4].Seq))
	})
}
