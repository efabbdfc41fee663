package sqlstore_test

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/worker"
)

// registryNow is the tests' clock.
var registryNow = time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)

func testKeys(t testing.TB) *keys.Material {
	t.Helper()
	m, err := keys.Load(keys.Settings{}, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	return m
}

// nthSSN is a valid SSN distinct for every n ≥ 0 (up to 36 million).
func nthSSN(n int) identity.SSN {
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/1000)
	return identity.MakeSSN("370402", birth, n%1000)
}

// nthName is a two- or three-character Chinese name derived from n.
func nthName(n int) string {
	surnames := []rune("张王李赵刘陈杨黄周吴")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平")
	return string([]rune{surnames[n%len(surnames)], given[(n/len(surnames))%len(given)], given[(n/7)%len(given)]})
}

func nthCard(n int) string { return fmt.Sprintf("C%08d", n) }

func row(ssn identity.SSN, name, card, status, issued string) worker.ImportRow {
	return worker.ImportRow{SSN: string(ssn), Name: name, CardNumber: card, IssueArea: "370400", CardStatus: status, IssuedOn: issued}
}

func rowsOf(rows ...worker.ImportRow) iter.Seq2[worker.ImportRow, error] {
	return func(yield func(worker.ImportRow, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// eachStore runs test against the registry store on MariaDB and on SQLite: one contract, two
// implementations.
func eachStore(t *testing.T, test func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB)) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			test(t, db.Workers(testKeys(t)), db)
		})
	}
}

func importRows(t *testing.T, s worker.Store, rows ...worker.ImportRow) worker.ImportResult {
	t.Helper()
	res, err := worker.Import(context.Background(), s, rowsOf(rows...), registryNow)
	require.NoError(t, err)
	return res
}

func count(t *testing.T, db *sqlstore.DB, query string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.SQL().QueryRow(query, args...).Scan(&n))
	return n
}

func cardStates(w worker.Worker) map[string]worker.CardStatus {
	m := map[string]worker.CardStatus{}
	for _, c := range w.Cards {
		m[c.Number] = c.Status
	}
	return m
}

func TestRegistry_ImportRegistersNewCardholders(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		res := importRows(t, s,
			row(nthSSN(1), "张三", "A12345678", "active", "2021-03-15"),
			row(nthSSN(2), "欧阳娜娜", "b12345678", "", ""),
			row(nthSSN(3), "买买提·艾力", "C12345678", "lost", "2019-12-31"),
		)
		assert.Equal(t, worker.ImportResult{Imported: 3, Errors: []worker.RowError{}}, res)

		w, err := s.WorkerBySSN(context.Background(), nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, nthSSN(1), w.SSN)
		assert.Equal(t, "张三", w.Name)
		assert.False(t, w.Activated())
		assert.Equal(t, registryNow, w.CreatedAt)
		require.Len(t, w.Cards, 1)
		assert.Equal(t, worker.Card{
			ID: w.Cards[0].ID, WorkerID: w.ID, Number: "A12345678", IssueArea: "370400", Status: worker.CardActive,
			IssuedOn: worker.Date{Y: 2021, M: 3, D: 15}, CreatedAt: registryNow, UpdatedAt: registryNow,
		}, w.Cards[0])

		w2, err := s.WorkerBySSN(context.Background(), nthSSN(2))
		require.NoError(t, err)
		require.Len(t, w2.Cards, 1)
		assert.Equal(t, "B12345678", w2.Cards[0].Number)
		assert.Equal(t, worker.CardActive, w2.Cards[0].Status, "an empty status means active")
		assert.True(t, w2.Cards[0].IssuedOn.IsZero())
		assert.NotEqual(t, w.ID, w2.ID)

		_, err = s.WorkerBySSN(context.Background(), nthSSN(4))
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
		assert.Equal(t, 3, count(t, db, "SELECT COUNT(*) FROM workers"))
		assert.Equal(t, 3, count(t, db, "SELECT COUNT(*) FROM worker_cards"))
	})
}

// Importing the same rows again counts them as updated and changes nothing, not even
// updated_at: the import is idempotent.
func TestRegistry_ReimportingTheSameRowsChangesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		rows := []worker.ImportRow{
			row(nthSSN(1), "张三", "A12345678", "active", "2021-03-15"),
			row(nthSSN(2), "李四", "B12345678", "active", ""),
		}
		importRows(t, s, rows...)
		before, err := s.WorkerBySSN(context.Background(), nthSSN(1))
		require.NoError(t, err)

		res, err := worker.Import(context.Background(), s, rowsOf(rows...), registryNow.Add(time.Hour))
		require.NoError(t, err)
		assert.Equal(t, worker.ImportResult{Imported: 0, Updated: 2, Errors: []worker.RowError{}}, res)
		after, err := s.WorkerBySSN(context.Background(), nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, before, after)
		assert.Equal(t, 2, count(t, db, "SELECT COUNT(*) FROM workers"))
		assert.Equal(t, 2, count(t, db, "SELECT COUNT(*) FROM worker_cards"))
	})
}

func TestRegistry_MixedRowsStoreTheGoodAndListTheBad(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		res := importRows(t, s,
			row(nthSSN(1), "张三", "A12345678", "active", ""),
			row("110105194912310021", "李四", "B12345678", "active", ""),
			row(nthSSN(3), "王五", "C1234567", "broken", "2021-02-30"),
			row(nthSSN(4), "赵六", "D12345678", "active", ""),
		)
		assert.Equal(t, 2, res.Imported)
		assert.Equal(t, []worker.RowError{
			{Index: 1, Field: "ssn", Code: "invalid_ssn"},
			{Index: 2, Field: "card_number", Code: "invalid_card_number"},
			{Index: 2, Field: "card_status", Code: "invalid_card_status"},
			{Index: 2, Field: "issued_on", Code: "invalid_date"},
		}, res.Errors)
		for _, n := range []int{1, 4} {
			_, err := s.WorkerBySSN(context.Background(), nthSSN(n))
			assert.NoError(t, err)
		}
		_, err := s.WorkerBySSN(context.Background(), nthSSN(3))
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
	})
}

// The record follows the SSN: a new card adds a card to the same worker and the previous
// current card becomes replaced.
func TestRegistry_NewActiveCardReplacesTheCurrentCard(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		importRows(t, s, row(nthSSN(1), "张三", "A12345678", "active", "2015-01-01"))
		first, err := s.WorkerBySSN(context.Background(), nthSSN(1))
		require.NoError(t, err)

		res := importRows(t, s, row(nthSSN(1), "张三", "B12345678", "active", "2025-06-01"))
		assert.Equal(t, worker.ImportResult{Updated: 1, Errors: []worker.RowError{}}, res)
		w, err := s.WorkerBySSN(context.Background(), nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, first.ID, w.ID, "still the same worker")
		assert.Equal(t, map[string]worker.CardStatus{"A12345678": worker.CardReplaced, "B12345678": worker.CardActive}, cardStates(w))
		current, ok := w.CurrentCard()
		require.True(t, ok)
		assert.Equal(t, "B12345678", current.Number)
		assert.Equal(t, 1, count(t, db, "SELECT COUNT(*) FROM workers"))
		assert.Equal(t, 1, count(t, db, "SELECT COUNT(*) FROM worker_cards WHERE status = 'active'"))
	})
}

func TestRegistry_CardRegisteredToAnotherSSNIsACardConflict(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		importRows(t, s, row(nthSSN(1), "张三", "A12345678", "active", ""))
		res := importRows(t, s,
			row(nthSSN(2), "李四", "B12345678", "active", ""),
			row(nthSSN(3), "王五", "a12345678", "active", ""),
			row(nthSSN(4), "赵六", "B12345678", "active", ""),
		)
		assert.Equal(t, 1, res.Imported)
		assert.Equal(t, []worker.RowError{
			{Index: 1, Field: "card_number", Code: "card_conflict"},
			{Index: 2, Field: "card_number", Code: "card_conflict"},
		}, res.Errors)
		_, err := s.WorkerBySSN(context.Background(), nthSSN(3))
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "a refused row creates no worker")
		w, err := s.WorkerBySSN(context.Background(), nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, "张三", w.Name)
	})
}

func TestRegistry_RowUpdatesNameAndCardButKeepsAKnownIssueDate(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		importRows(t, s, row(nthSSN(1), "张三", "A12345678", "active", "2015-01-01"))
		later := registryNow.Add(24 * time.Hour)
		res, err := worker.Import(context.Background(), s, rowsOf(
			worker.ImportRow{SSN: string(nthSSN(1)), Name: "张三丰", CardNumber: "A12345678", IssueArea: "370402", CardStatus: "lost"},
		), later)
		require.NoError(t, err)
		assert.Equal(t, 1, res.Updated)
		w, err := s.WorkerBySSN(context.Background(), nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, "张三丰", w.Name)
		assert.Equal(t, later, w.UpdatedAt)
		assert.Equal(t, registryNow, w.CreatedAt)
		require.Len(t, w.Cards, 1)
		c := w.Cards[0]
		assert.Equal(t, worker.CardLost, c.Status)
		assert.Equal(t, "370402", c.IssueArea)
		assert.Equal(t, worker.Date{Y: 2015, M: 1, D: 1}, c.IssuedOn)
		assert.Equal(t, later, c.UpdatedAt)
		_, ok := w.CurrentCard()
		assert.False(t, ok, "a lost card is not current")
	})
}

// Rows for one SSN in different chunks (and twice in one chunk) apply in order.
func TestRegistry_RowsOfOneSSNAcrossChunksApplyInOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		var rows []worker.ImportRow
		for i := range worker.ChunkSize {
			rows = append(rows, row(nthSSN(i), nthName(i), nthCard(i), "active", ""))
		}
		for i := range 200 {
			rows = append(rows, row(nthSSN(i), nthName(i), nthCard(100000+i), "active", ""))
		}
		rows = append(rows, row(nthSSN(5), nthName(5), nthCard(200000), "active", ""))
		res := importRows(t, s, rows...)
		assert.Equal(t, worker.ImportResult{Imported: worker.ChunkSize, Updated: 201, Errors: []worker.RowError{}}, res)
		assert.Equal(t, worker.ChunkSize, count(t, db, "SELECT COUNT(*) FROM workers"))
		assert.Equal(t, worker.ChunkSize, count(t, db, "SELECT COUNT(*) FROM worker_cards WHERE status = 'active'"))
		assert.Equal(t, 201, count(t, db, "SELECT COUNT(*) FROM worker_cards WHERE status = 'replaced'"))

		w, err := s.WorkerBySSN(context.Background(), nthSSN(5))
		require.NoError(t, err)
		assert.Equal(t, map[string]worker.CardStatus{
			nthCard(5): worker.CardReplaced, nthCard(100005): worker.CardReplaced, nthCard(200000): worker.CardActive,
		}, cardStates(w))
	})
}

func TestActivate_MatchingDetailsActivateAndSignInFindsTheWorker(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		ctx := context.Background()
		importRows(t, s, row(nthSSN(1), "张三", "A12345678", "active", ""))
		_, err := s.WorkerLogin(ctx, nthSSN(1))
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "not activated yet")

		a, err := worker.Activate(ctx, s, worker.ActivateInput{
			SSN: string(nthSSN(1)), Name: " 张三 ", CardNumber: "a12345678", Password: "s3cret-pass",
		}, registryNow)
		require.NoError(t, err)
		w, err := s.WorkerBySSN(ctx, nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, w.ID, a.WorkerID)
		assert.Equal(t, registryNow, w.ActivatedAt)

		login, err := s.WorkerLogin(ctx, nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, w.ID, login.WorkerID)
		assert.True(t, auth.CheckPassword(login.PasswordHash, "s3cret-pass"))
		assert.False(t, auth.CheckPassword(login.PasswordHash, "wrong-pass1"))

		_, err = s.WorkerLogin(ctx, nthSSN(2))
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err))

		_, err = worker.Activate(ctx, s, worker.ActivateInput{
			SSN: string(nthSSN(1)), Name: "张三", CardNumber: "A12345678", Password: "other-pass1",
		}, registryNow)
		assert.Equal(t, errs.KindConflict, errs.KindOf(err))
		assert.Equal(t, worker.CodeAlreadyActivated, errs.CodeOf(err))
		login2, err := s.WorkerLogin(ctx, nthSSN(1))
		require.NoError(t, err)
		assert.Equal(t, login.PasswordHash, login2.PasswordHash, "a second activation changes nothing")
	})
}

// Whatever part is wrong, the answer is the same, so that nobody learns which.
func TestActivate_EveryMismatchAnswersAlike(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		ctx := context.Background()
		importRows(t, s,
			row(nthSSN(1), "张三", "A12345678", "active", ""),
			row(nthSSN(1), "张三", "B12345678", "active", ""), // A is now replaced
			row(nthSSN(2), "李四", "C12345678", "lost", ""),   // no active card
		)
		good := worker.ActivateInput{SSN: string(nthSSN(1)), Name: "张三", CardNumber: "B12345678", Password: "s3cret-pass"}
		cases := map[string]func(*worker.ActivateInput){
			"unknown ssn":    func(in *worker.ActivateInput) { in.SSN = string(nthSSN(9)) },
			"wrong name":     func(in *worker.ActivateInput) { in.Name = "张四" },
			"wrong card":     func(in *worker.ActivateInput) { in.CardNumber = "Z12345678" },
			"replaced card":  func(in *worker.ActivateInput) { in.CardNumber = "A12345678" },
			"another's card": func(in *worker.ActivateInput) { in.CardNumber = "C12345678" },
			"no active card": func(in *worker.ActivateInput) {
				*in = worker.ActivateInput{SSN: string(nthSSN(2)), Name: "李四", CardNumber: "C12345678", Password: in.Password}
			},
			"name of the holder": func(in *worker.ActivateInput) { in.Name = "李四" },
		}
		var first *errs.Error
		for name, edit := range cases {
			in := good
			edit(&in)
			_, err := worker.Activate(ctx, s, in, registryNow)
			e := errs.As(err)
			require.NotNil(t, e, name)
			assert.Equal(t, errs.KindInvalid, e.Kind, name)
			assert.Equal(t, worker.CodeRegistryMismatch, e.Code, name)
			assert.Empty(t, e.Fields, name)
			if first == nil {
				first = e
			}
			assert.Equal(t, first.Message, e.Message, name)
		}
		_, err := s.WorkerLogin(ctx, nthSSN(1))
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "nothing was activated")
		_, err = worker.Activate(ctx, s, good, registryNow)
		assert.NoError(t, err)
	})
}

func TestActivate_ConcurrentActivationsHaveOneWinner(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, db *sqlstore.DB) {
		importRows(t, s, row(nthSSN(1), "张三", "A12345678", "active", ""))
		in := worker.ActivateInput{SSN: string(nthSSN(1)), Name: "张三", CardNumber: "A12345678", Password: "s3cret-pass"}
		const n = 4
		errc := make(chan error, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				_, err := worker.Activate(context.Background(), s, in, registryNow)
				errc <- err
			})
		}
		wg.Wait()
		close(errc)
		wins := 0
		for err := range errc {
			if err == nil {
				wins++
				continue
			}
			assert.Equal(t, worker.CodeAlreadyActivated, errs.CodeOf(err))
		}
		assert.Equal(t, 1, wins)
	})
}
