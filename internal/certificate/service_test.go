package certificate_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/certificate"
	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
	"skillrecord/internal/worker"
)

// The use cases run here on the real stores of each dialect; the HTTP tests cover the answers.

const svcIssuer = "0190a1b2-0000-7000-8000-0000000000c2"

type svcFixture struct {
	db       *sqlstore.DB
	svc      *certificate.Service
	workerID string
}

func eachService(t *testing.T, test func(t *testing.T, f svcFixture)) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"mysql": testenv.MySQL, "sqlite": testenv.SQLite} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			m, err := keys.Load(keys.Settings{}, t.TempDir(), slog.New(slog.DiscardHandler))
			require.NoError(t, err)
			regs := db.Workers(m)
			_, err = worker.Import(context.Background(), regs, func(yield func(worker.ImportRow, error) bool) {
				yield(worker.ImportRow{SSN: string(holderSSN), Name: "李四", CardNumber: "A12345678", IssueArea: "370400", CardStatus: "active"}, nil)
			}, today)
			require.NoError(t, err)
			known, err := regs.Identify(context.Background(), []identity.SSN{holderSSN})
			require.NoError(t, err)
			svc := &certificate.Service{
				Store:     db.Certificates(m),
				Credits:   credit.CertificatePoster{Poster: &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: func() time.Time { return today }}},
				Directory: regs,
				Now:       func() time.Time { return today },
			}
			test(t, svcFixture{db: db, svc: svc, workerID: known[holderSSN].WorkerID})
		})
	}
}

// skillInput is a skill-level certificate of the holder in the welder occupation.
func skillInput(no string, level int) certificate.Input {
	in := validInput()
	in.No, in.Level = no, ptr(level)
	return in
}

func TestService_ConcurrentIssuesAndRevocationsKeepTheHighestLevel(t *testing.T) {
	eachService(t, func(t *testing.T, f svcFixture) {
		ctx := context.Background()
		levels := []int{5, 4, 3, 5, 2, 4}
		var wg sync.WaitGroup
		errc := make(chan error, len(levels))
		for i, level := range levels {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.Issue(ctx, svcIssuer, "evaluation_org", skillInput(fmt.Sprintf("CC-%06d", i), level))
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			require.NoError(t, err)
		}
		acc, err := f.db.Ledger().Account(ctx, f.workerID)
		require.NoError(t, err)
		assert.Equal(t, credit.Tenths(300), acc.Balance, "the L2 counts: 30 credits, whatever the order")

		// Revoke the L2 and both L4s at once: the L3 is what remains (20).
		for _, no := range []string{"CC-000004", "CC-000001", "CC-000005"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.Revoke(ctx, svcIssuer, no, "复核不合格")
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
		entries, err := f.db.Ledger().AllEntries(ctx, f.workerID)
		require.NoError(t, err)
		bad, ok := credit.Verify(entries)
		require.Truef(t, ok, "the chain breaks at seq %d", bad)
		require.NotEmpty(t, entries)
		assert.Equal(t, credit.Tenths(200), entries[len(entries)-1].BalanceAfter)
	})
}

// failingCredits locks like the real ledger would but fails every posting.
type failingCredits struct{ certificate.Credits }

func (failingCredits) Changed(context.Context, string, certificate.Certificate, []certificate.Certificate) error {
	return errs.Internal(errors.New("ledger down"), "ledger down")
}

func TestService_AFailedPostingLeavesNoCertificate(t *testing.T) {
	eachService(t, func(t *testing.T, f svcFixture) {
		ctx := context.Background()
		f.svc.Credits = failingCredits{f.svc.Credits}
		_, err := f.svc.Issue(ctx, svcIssuer, "evaluation_org", skillInput("RB-000001", 3))
		require.Error(t, err)
		_, err = f.svc.Store.Get(ctx, "RB-000001")
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "the certificate rolled back with its credits")
	})
}
