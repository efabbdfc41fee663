package training_test

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/page"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
	"skillrecord/internal/training"
	"skillrecord/internal/worker"
)

// These tests run the use cases on the real MariaDB: the rules, the registry, the store and
// the ledger together.

// serviceNow is the use cases' clock in the tests.
var serviceNow = time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)

// cacheSpy records what the service tells the record cache.
type cacheSpy struct {
	mu      sync.Mutex
	changed []string
}

func (c *cacheSpy) WorkerChanged(_ context.Context, workerIDs ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.changed = append(c.changed, workerIDs...)
}

func (c *cacheSpy) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.changed
	c.changed = nil
	return out
}

type person struct{ ssn, name, workerID string }

type fixture struct {
	db     *sqlstore.DB
	svc    *training.Service
	cache  *cacheSpy
	people []person
}

// newFixture registers n cardholders on a fresh MariaDB database.
func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	db := testenv.MySQL(t)
	m, err := keys.Load(keys.Settings{}, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	store := db.Workers(m)
	f := &fixture{db: db, cache: &cacheSpy{}}
	rows := make([]worker.ImportRow, n)
	for i := range n {
		ssn := identity.MakeSSN("370402", time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/900), i%900)
		name := []string{"张伟", "王芳", "李娜", "赵敏", "刘静"}[i%5]
		f.people = append(f.people, person{ssn: string(ssn), name: name})
		rows[i] = worker.ImportRow{SSN: string(ssn), Name: name, CardNumber: fmt.Sprintf("T%08d", i), IssueArea: "370400", CardStatus: "active"}
	}
	var seq iter.Seq2[worker.ImportRow, error] = func(yield func(worker.ImportRow, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
	_, err = worker.Import(context.Background(), store, seq, serviceNow)
	require.NoError(t, err)
	for i := range f.people {
		w, err := store.WorkerBySSN(context.Background(), identity.SSN(f.people[i].ssn))
		require.NoError(t, err)
		f.people[i].workerID = w.ID
	}
	clock := func() time.Time { return serviceNow }
	f.svc = &training.Service{
		Store: db.Trainings(), Directory: store, Cache: f.cache, Now: clock,
		Poster: &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: clock},
	}
	return f
}

// input is a valid 40-hour passed record of person p.
func (p person) input(ext string) training.Input {
	in := validInput()
	in.ExternalID, in.SSN, in.Name = ext, p.ssn, p.name
	return in
}

func (f *fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	require.NoError(t, f.db.SQL().QueryRow("SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

func (f *fixture) balance(t *testing.T, workerID string) credit.Tenths {
	t.Helper()
	a, err := f.db.Ledger().Account(context.Background(), workerID)
	require.NoError(t, err)
	return a.Balance
}

func TestPost_CreatesCreditsAndTellsTheCacheAfterCommit(t *testing.T) {
	f := newFixture(t, 1)
	p := f.people[0]
	ctx := context.Background()
	inst := uuid.NewString()

	got, outcome, err := f.svc.Post(ctx, inst, p.input("A-1"))
	require.NoError(t, err)
	assert.Equal(t, training.Created, outcome)
	assert.Equal(t, p.workerID, got.WorkerID)
	assert.Equal(t, inst, got.InstitutionID)
	assert.Equal(t, credit.Tenths(25), got.Credits, "40 passed hours earn 2.5")
	assert.Equal(t, credit.Tenths(25), f.balance(t, p.workerID))
	assert.Equal(t, []string{p.workerID}, f.cache.take())

	again, outcome, err := f.svc.Post(ctx, inst, p.input("A-1"))
	require.NoError(t, err)
	assert.Equal(t, training.Unchanged, outcome)
	assert.Equal(t, got.ID, again.ID)
	assert.Empty(t, f.cache.take(), "nothing changed")
	assert.Equal(t, credit.Tenths(25), f.balance(t, p.workerID))

	// The same content written differently (surrounding spaces, groups in another order) is
	// the same record.
	spaced := p.input("A-1")
	spaced.Name, spaced.CourseName = " "+p.name+" ", spaced.CourseName+"  "
	slices.Reverse(spaced.TraineeGroups)
	_, outcome, err = f.svc.Post(ctx, inst, spaced)
	require.NoError(t, err)
	assert.Equal(t, training.Unchanged, outcome)

	changed := p.input("A-1")
	changed.Hours = ptr(41)
	_, _, err = f.svc.Post(ctx, inst, changed)
	assert.Equal(t, errs.KindConflict, errs.KindOf(err))
	assert.Equal(t, "duplicate_conflict", errs.CodeOf(err))
}

// TestPost_IdenticalPostsRacingEndAsOneCreatedTheRestUnchanged: the unique key decides, the
// losers re-read and compare.
func TestPost_IdenticalPostsRacingEndAsOneCreatedTheRestUnchanged(t *testing.T) {
	f := newFixture(t, 1)
	p := f.people[0]
	inst := uuid.NewString()
	const n = 8
	type answer struct {
		id      string
		outcome training.Outcome
		err     error
	}
	answers := make([]answer, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			got, outcome, err := f.svc.Post(context.Background(), inst, p.input("RACE-1"))
			answers[i] = answer{got.ID, outcome, err}
		})
	}
	start.Done()
	done.Wait()
	created := 0
	for _, a := range answers {
		require.NoError(t, a.err)
		assert.Equal(t, answers[0].id, a.id, "every answer names the one stored record")
		if a.outcome == training.Created {
			created++
		}
	}
	assert.Equal(t, 1, created)
	assert.Equal(t, 1, f.count(t, "trainings"))
	assert.Equal(t, 1, f.count(t, "credit_entries"))
	assert.Equal(t, credit.Tenths(25), f.balance(t, p.workerID))
}

func TestPost_DifferentPostsRacingOnOneExternalIDEndAsOneCreatedTheRestConflicts(t *testing.T) {
	f := newFixture(t, 1)
	p := f.people[0]
	inst := uuid.NewString()
	const n = 6
	errsSeen := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			in := p.input("RACE-2")
			in.Hours = ptr(20 + i)
			_, _, errsSeen[i] = f.svc.Post(context.Background(), inst, in)
		})
	}
	start.Done()
	done.Wait()
	ok := 0
	for _, err := range errsSeen {
		if err == nil {
			ok++
			continue
		}
		assert.Equal(t, "duplicate_conflict", errs.CodeOf(err))
	}
	assert.Equal(t, 1, ok)
	assert.Equal(t, 1, f.count(t, "trainings"))
}

func TestPostBatch_ListsEveryBadRowAndWritesNothing(t *testing.T) {
	f := newFixture(t, 6)
	ctx := context.Background()
	inst := uuid.NewString()
	_, _, err := f.svc.Post(ctx, inst, f.people[5].input("OLD"))
	require.NoError(t, err)
	trainings, entries := f.count(t, "trainings"), f.count(t, "credit_entries")

	unknown := f.people[2].input("B-2")
	unknown.SSN = string(identity.MakeSSN("370402", time.Date(1999, 9, 9, 0, 0, 0, 0, time.UTC), 7))
	mismatch := f.people[3].input("B-3")
	mismatch.Name = "欧阳修"
	badHours := f.people[0].input("B-0")
	badHours.Hours = ptr(0)
	conflicting := f.people[5].input("OLD")
	conflicting.CourseName = "另一门课"
	inputs := []training.Input{
		badHours,                 // 0: a rule
		f.people[1].input("B-1"), // 1: good
		unknown,                  // 2: not registered
		mismatch,                 // 3: another name
		f.people[4].input("B-1"), // 4: external_id repeated in the batch
		conflicting,              // 5: external_id holds a different record
		f.people[4].input("B-6"), // 6: good
	}
	_, err = f.svc.PostBatch(ctx, inst, inputs)
	require.Error(t, err)
	e := errs.As(err)
	require.NotNil(t, e)
	assert.Equal(t, errs.KindInvalid, e.Kind)
	assert.Equal(t, training.CodeInvalidBatch, e.Code)
	type row struct {
		index       int
		field, code string
	}
	var got []row
	for _, fe := range e.Fields {
		require.NotNil(t, fe.Index)
		got = append(got, row{*fe.Index, fe.Field, fe.Code})
	}
	assert.Equal(t, []row{
		{0, "hours", "invalid_hours"},
		{2, "ssn", "unknown_cardholder"},
		{3, "name", "name_mismatch"},
		{4, "external_id", "duplicate_in_batch"},
		{5, "external_id", "duplicate_conflict"},
	}, got)
	assert.Equal(t, trainings, f.count(t, "trainings"))
	assert.Equal(t, entries, f.count(t, "credit_entries"))
}

func TestPostBatch_RetryAndRacingBatchesCreateEachRecordOnce(t *testing.T) {
	f := newFixture(t, 40)
	ctx := context.Background()
	inst := uuid.NewString()
	inputs := make([]training.Input, len(f.people))
	for i, p := range f.people {
		inputs[i] = p.input(fmt.Sprintf("R-%02d", i))
	}
	// Two identical batches race; a third, reversed, races too.
	reversed := slices.Clone(inputs)
	slices.Reverse(reversed)
	var wg sync.WaitGroup
	results := make([][]training.Result, 3)
	failures := make([]error, 3)
	for i, batch := range [][]training.Input{inputs, inputs, reversed} {
		wg.Go(func() { results[i], failures[i] = f.svc.PostBatch(ctx, inst, batch) })
	}
	wg.Wait()
	created := map[string]int{}
	for i := range results {
		require.NoError(t, failures[i])
		require.Len(t, results[i], len(inputs))
		for _, r := range results[i] {
			if r.Status == training.Created {
				created[r.ID]++
			}
		}
	}
	assert.Len(t, created, len(inputs), "every record created by exactly one batch")
	assert.Equal(t, len(inputs), f.count(t, "trainings"))
	assert.Equal(t, len(inputs), f.count(t, "credit_entries"))

	again, err := f.svc.PostBatch(ctx, inst, inputs)
	require.NoError(t, err)
	for i, r := range again {
		assert.Equal(t, training.Unchanged, r.Status)
		assert.Equal(t, results[0][i].ID, r.ID)
	}
	assert.Equal(t, len(inputs), f.count(t, "credit_entries"))
	f.cache.take()
}

func TestPostBatch_TellsTheCacheEachChangedWorkerOnce(t *testing.T) {
	f := newFixture(t, 2)
	a, b := f.people[0], f.people[1]
	_, err := f.svc.PostBatch(context.Background(), uuid.NewString(),
		[]training.Input{a.input("1"), b.input("2"), a.input("3")})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{a.workerID, b.workerID}, f.cache.take())
}

func TestVoid_ReversesExactlyOnceAndOnlyForTheOwner(t *testing.T) {
	f := newFixture(t, 1)
	p := f.people[0]
	ctx := context.Background()
	inst := uuid.NewString()
	posted, _, err := f.svc.Post(ctx, inst, p.input("V-1"))
	require.NoError(t, err)
	f.cache.take()

	_, err = f.svc.Void(ctx, uuid.NewString(), posted.ID, "录入错误")
	assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "another institution's record is not found")
	_, err = f.svc.Void(ctx, inst, uuid.NewString(), "录入错误")
	assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
	_, err = f.svc.Void(ctx, inst, "not-a-uuid", "录入错误")
	assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
	_, err = f.svc.Void(ctx, inst, posted.ID, "  ")
	assert.Equal(t, "required", errs.CodeOf(err))
	assert.Equal(t, credit.Tenths(25), f.balance(t, p.workerID))

	voided, err := f.svc.Void(ctx, inst, posted.ID, " 录入错误 ")
	require.NoError(t, err)
	assert.Equal(t, training.StatusVoid, voided.Status)
	assert.Equal(t, "录入错误", voided.VoidReason)
	assert.Equal(t, serviceNow, voided.VoidedAt)
	assert.Equal(t, credit.Tenths(0), f.balance(t, p.workerID))
	assert.Equal(t, []string{p.workerID}, f.cache.take())

	_, err = f.svc.Void(ctx, inst, posted.ID, "again")
	assert.Equal(t, errs.KindConflict, errs.KindOf(err))
	assert.Equal(t, training.CodeAlreadyVoid, errs.CodeOf(err))
	assert.Equal(t, credit.Tenths(0), f.balance(t, p.workerID))
	assert.Equal(t, 2, f.count(t, "credit_entries"))

	// A re-post of the voided record's content is still the same record: unchanged, not
	// revived.
	again, outcome, err := f.svc.Post(ctx, inst, p.input("V-1"))
	require.NoError(t, err)
	assert.Equal(t, training.Unchanged, outcome)
	assert.Equal(t, training.StatusVoid, again.Status)

	counts, err := f.svc.CountForWorker(ctx, p.workerID)
	require.NoError(t, err)
	assert.Equal(t, training.Counts{}, counts)
}

func TestListForWorker_PagesTheWorkersOwnRecordsLatestFirst(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	mine, other := f.people[0], f.people[1]
	for i := range 5 {
		in := mine.input(fmt.Sprintf("M-%d", i))
		in.EndDate = fmt.Sprintf("2026-04-%02d", 1+i)
		_, _, err := f.svc.Post(ctx, uuid.NewString(), in)
		require.NoError(t, err)
	}
	_, _, err := f.svc.Post(ctx, uuid.NewString(), other.input("O-1"))
	require.NoError(t, err)

	var ends []string
	req := pageRequest(2, "")
	for {
		res, err := f.svc.ListForWorker(ctx, mine.workerID, req)
		require.NoError(t, err)
		for _, tr := range res.Items {
			assert.Equal(t, mine.workerID, tr.WorkerID)
			ends = append(ends, tr.Record.EndDate.String())
		}
		if res.NextCursor == "" {
			break
		}
		req = pageRequest(2, res.NextCursor)
	}
	assert.Equal(t, []string{"2026-04-05", "2026-04-04", "2026-04-03", "2026-04-02", "2026-04-01"}, ends)

	_, err = f.svc.ListForWorker(ctx, mine.workerID, page.Request{Limit: 2, After: "garbage"})
	assert.Equal(t, "invalid_cursor", errs.CodeOf(err))
}

func pageRequest(limit int, cursor string) page.Request {
	p, err := page.Parse(strconv.Itoa(limit), cursor)
	if err != nil {
		panic(err)
	}
	return p
}

// TestPostBatch_MixesUnchangedWithCreatedAndRefusesAChangedRecord: in a batch without bad
// rows, rows identical to stored records are Unchanged beside the Created ones, and a
// different record under a used external_id refuses the whole batch, writing nothing.
func TestPostBatch_MixesUnchangedWithCreatedAndRefusesAChangedRecord(t *testing.T) {
	f := newFixture(t, 4)
	ctx := context.Background()
	inst := uuid.NewString()
	first, err := f.svc.PostBatch(ctx, inst, []training.Input{f.people[0].input("U-0"), f.people[1].input("U-1")})
	require.NoError(t, err)

	mixed := []training.Input{f.people[0].input("U-0"), f.people[2].input("U-2"), f.people[1].input("U-1")}
	got, err := f.svc.PostBatch(ctx, inst, mixed)
	require.NoError(t, err)
	assert.Equal(t, training.Result{Index: 0, ID: first[0].ID, Status: training.Unchanged}, got[0])
	assert.Equal(t, training.Created, got[1].Status)
	assert.Equal(t, training.Result{Index: 2, ID: first[1].ID, Status: training.Unchanged}, got[2])
	trainings, entries := f.count(t, "trainings"), f.count(t, "credit_entries")
	require.Equal(t, 3, trainings)

	changed := f.people[1].input("U-1")
	changed.CourseName = "另一门课"
	_, err = f.svc.PostBatch(ctx, inst, []training.Input{f.people[3].input("U-3"), changed})
	e := errs.As(err)
	require.NotNil(t, e)
	assert.Equal(t, training.CodeInvalidBatch, e.Code)
	require.Len(t, e.Fields, 1)
	assert.Equal(t, 1, *e.Fields[0].Index)
	assert.Equal(t, training.CodeDuplicateConflict, e.Fields[0].Code)
	assert.Equal(t, trainings, f.count(t, "trainings"), "nothing written")
	assert.Equal(t, entries, f.count(t, "credit_entries"))
}
