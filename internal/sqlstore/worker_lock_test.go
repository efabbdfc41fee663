package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/worker"
)

// TestRegistry_ActivationWaitsForAnImportReplacingTheCard holds a cardholder import open after
// it has replaced a worker's card and starts an activation with the old card: the activation
// waits for the import, then sees the new card and is refused (registry_mismatch); the worker
// is not activated with a card that is no longer theirs. Today's locks make the activation wait
// on the worker's row, which an import locks first (InnoDB; SQLite's write transactions are
// serial).
func TestRegistry_ActivationWaitsForAnImportReplacingTheCard(t *testing.T) {
	db := dialects(t)["mysql"](t)
	s := db.Workers(testKeys(t))
	ctx := context.Background()
	ssn, name := nthSSN(1), nthName(1)
	importRows(t, s, row(ssn, name, nthCard(1), "active", "2020-01-01"))

	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	imported := make(chan error, 1)
	go func() {
		imported <- s.UpdateRegistry(ctx, []identity.SSN{ssn}, []string{nthCard(2)}, func(reg *worker.Registry) error {
			if _, err := reg.Apply(worker.Cardholder{SSN: ssn, Name: name, CardNumber: nthCard(2), IssueArea: "370400",
				CardStatus: worker.CardActive}, registryNow); err != nil {
				return err
			}
			once.Do(func() { close(inside) })
			<-release
			return nil
		})
	}()
	<-inside

	activated := make(chan error, 1)
	go func() {
		_, err := worker.Activate(ctx, s, worker.ActivateInput{SSN: string(ssn), Name: name, CardNumber: nthCard(1),
			Password: "s3cret-pass-2026"}, registryNow)
		activated <- err
	}()
	// Let the import go once the activation either finished (the race today's code lost) or
	// waits on a row lock of this test's database — or after a bound, so that a loaded machine
	// on which the wait is not seen in time cannot hold the import until the activation's own
	// statement timeout (the final state is checked all the same).
	var early error
	waiting := false
	for bound := time.Now().Add(10 * time.Second); !waiting && time.Now().Before(bound); {
		select {
		case early = <-activated:
			waiting = true
			activated <- early
		default:
			var n int
			require.NoError(t, db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.INNODB_TRX t
				JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
				WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()`).Scan(&n))
			waiting = n > 0
			if !waiting {
				time.Sleep(5 * time.Millisecond)
			}
		}
	}
	close(release)
	require.NoError(t, <-imported)

	err := <-activated
	require.Error(t, err, "the activation used a card the import had replaced")
	assert.Equal(t, worker.CodeRegistryMismatch, errs.CodeOf(err))
	w, err := s.WorkerBySSN(ctx, ssn)
	require.NoError(t, err)
	assert.False(t, w.Activated())
	current, ok := w.CurrentCard()
	require.True(t, ok)
	assert.Equal(t, nthCard(2), current.Number)

	_, err = worker.Activate(ctx, s, worker.ActivateInput{SSN: string(ssn), Name: name, CardNumber: nthCard(2),
		Password: "s3cret-pass-2026"}, registryNow)
	require.NoError(t, err, "the current card activates")
}

// TestRegistry_ConcurrentImportsAndActivationsStayConsistent runs imports that replace a
// worker's card and activations with each card at once, on MariaDB and SQLite: whatever the
// order, an activated worker was activated with the card that was current at that moment, and
// exactly one activation wins.
func TestRegistry_ConcurrentImportsAndActivationsStayConsistent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		ctx := context.Background()
		for n := 10; n < 16; n++ {
			ssn, name := nthSSN(n), nthName(n)
			importRows(t, s, row(ssn, name, nthCard(100*n), "active", "2020-01-01"))
			var wg sync.WaitGroup
			wins := make(chan string, 4)
			wg.Go(func() {
				_, err := worker.Import(ctx, s, rowsOf(row(ssn, name, nthCard(100*n+1), "active", "2021-01-01")), registryNow)
				assert.NoError(t, err)
			})
			for _, card := range []string{nthCard(100 * n), nthCard(100*n + 1)} {
				wg.Go(func() {
					_, err := worker.Activate(ctx, s, worker.ActivateInput{SSN: string(ssn), Name: name, CardNumber: card,
						Password: "s3cret-pass-2026"}, registryNow)
					if err == nil {
						wins <- card
						return
					}
					assert.Contains(t, []string{worker.CodeRegistryMismatch, worker.CodeAlreadyActivated}, errs.CodeOf(err))
				})
			}
			wg.Wait()
			close(wins)
			var won []string
			for c := range wins {
				won = append(won, c)
			}
			assert.LessOrEqual(t, len(won), 1)
			w, err := s.WorkerBySSN(ctx, ssn)
			require.NoError(t, err)
			current, _ := w.CurrentCard()
			assert.Equal(t, nthCard(100*n+1), current.Number, "the import's card is current")
			assert.Equal(t, len(won) == 1, w.Activated())
		}
	})
}
