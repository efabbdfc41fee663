package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
	"skillrecord/internal/training"
	"skillrecord/internal/worker"
)

// trainingNow is the training tests' clock: a day after registryNow, in the afternoon.
var trainingNow = time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)

// storedTraining is a stored record with every optional field set.
func storedTraining(inst, ext, workerID string, created time.Time) training.Training {
	level, cents := 3, int64(120050)
	return training.Training{
		ID: uuid.Must(uuid.NewV7()).String(), InstitutionID: inst, WorkerID: workerID,
		Record: training.Record{
			ExternalID: ext, CourseName: "电工(中级)培训班", TrainingType: training.TypeJobSkillsUpgrade,
			OccupationCode: "6-31-01-03", OccupationName: "电工", Level: &level, Hours: 40,
			StartDate: training.Date{Y: 2026, M: 3, D: 1}, EndDate: training.Date{Y: 2026, M: 3, D: 20},
			Result: training.ResultPassed, Subsidized: true, SubsidyAmountCents: &cents,
			TraineeGroups: []string{training.GroupMigrantWorker, training.GroupGraduate, training.GroupPovertyAlleviated},
		},
		Credits: 25, Status: training.StatusActive, CreatedAt: created, UpdatedAt: created,
	}
}

func createTx(t testing.TB, db *sqlstore.DB, ts ...training.Training) error {
	t.Helper()
	s := db.Trainings()
	return s.WithTx(context.Background(), func(ctx context.Context) error { return s.CreateTrainings(ctx, ts) })
}

func TestTrainingStore_RoundTripsEveryField(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		inst := uuid.NewString()
		full := storedTraining(inst, "E-1", newWorkerID(), trainingNow)
		bare := storedTraining(inst, "E-2", newWorkerID(), trainingNow.Add(time.Second))
		bare.Record.Level, bare.Record.SubsidyAmountCents, bare.Record.OccupationName = nil, nil, ""
		bare.Record.Subsidized, bare.Record.TraineeGroups, bare.Record.Result, bare.Credits = false, nil, training.ResultFailed, 0
		require.NoError(t, createTx(t, db, full, bare))

		got, err := db.Trainings().TrainingsByExternalID(ctx, inst, []string{"E-1", "E-2", "E-3"})
		require.NoError(t, err)
		require.Len(t, got, 2)
		assert.Equal(t, full, got["E-1"])
		assert.Equal(t, bare, got["E-2"])
		assert.True(t, got["E-1"].Matches(full.WorkerID, full.Record))

		other, err := db.Trainings().TrainingsByExternalID(ctx, uuid.NewString(), []string{"E-1"})
		require.NoError(t, err)
		assert.Empty(t, other, "external ids are per institution")
	})
}

func TestTrainingStore_TraineeGroupsAreABitMaskSQLCanFilter(t *testing.T) {
	for i, g := range training.Groups() {
		assert.Equal(t, 1<<i, sqlstore.GroupBit(g), g)
	}
	assert.Zero(t, sqlstore.GroupBit("astronaut"))

	db := dialects(t)["mysql"](t)
	inst := uuid.NewString()
	migrant := storedTraining(inst, "M", newWorkerID(), trainingNow)
	other := storedTraining(inst, "O", newWorkerID(), trainingNow)
	other.Record.TraineeGroups = []string{training.GroupYouth}
	require.NoError(t, createTx(t, db, migrant, other))
	var n int
	require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM trainings WHERE trainee_groups & ? <> 0",
		sqlstore.GroupBit(training.GroupMigrantWorker)).Scan(&n))
	assert.Equal(t, 1, n)
}

func TestTrainingStore_UsedExternalIDIsAConflictAndKeepsNothing(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		inst := uuid.NewString()
		require.NoError(t, createTx(t, db, storedTraining(inst, "E-1", newWorkerID(), trainingNow)))
		err := createTx(t, db, storedTraining(inst, "E-0", newWorkerID(), trainingNow), storedTraining(inst, "E-1", newWorkerID(), trainingNow))
		require.Error(t, err)
		assert.Equal(t, errs.KindConflict, errs.KindOf(err))
		assert.Equal(t, "duplicate_conflict", errs.CodeOf(err))
		var n int
		require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM trainings").Scan(&n))
		assert.Equal(t, 1, n, "the multi-row insert rolled back as a whole")

		require.NoError(t, createTx(t, db, storedTraining(uuid.NewString(), "E-1", newWorkerID(), trainingNow)),
			"another institution may use the same external id")
	})
}

func TestTrainingStore_ListsPageNewestFirst(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		s := db.Trainings()
		inst, w := uuid.NewString(), newWorkerID()
		var all []training.Training
		for i := range 7 {
			// Two records share each creation time, so the id breaks the ties.
			tr := storedTraining(inst, fmt.Sprintf("E-%d", i), w, trainingNow.Add(time.Duration(i/2)*time.Millisecond))
			tr.Record.EndDate = training.Date{Y: 2026, M: 4, D: 1 + i/3}
			all = append(all, tr)
		}
		require.NoError(t, createTx(t, db, all...))
		require.NoError(t, createTx(t, db, storedTraining(uuid.NewString(), "X", newWorkerID(), trainingNow)))

		var seen []string
		var after *training.Position
		for {
			got, err := s.InstitutionTrainings(ctx, inst, training.Filter{}, after, 3)
			require.NoError(t, err)
			for i, tr := range got {
				seen = append(seen, tr.Record.ExternalID)
				if i > 0 {
					prev := got[i-1]
					assert.True(t, prev.CreatedAt.After(tr.CreatedAt) || prev.CreatedAt.Equal(tr.CreatedAt) && prev.ID > tr.ID, "newest first")
				}
			}
			if len(got) < 3 {
				break
			}
			last := got[len(got)-1]
			after = &training.Position{At: last.CreatedAt, ID: last.ID}
		}
		assert.ElementsMatch(t, []string{"E-0", "E-1", "E-2", "E-3", "E-4", "E-5", "E-6"}, seen)
		assert.Len(t, seen, 7, "no record twice")

		seen = nil
		after = nil
		for {
			got, err := s.WorkerTrainings(ctx, w, after, 2)
			require.NoError(t, err)
			for i, tr := range got {
				seen = append(seen, tr.Record.ExternalID)
				if i > 0 {
					assert.False(t, got[i-1].Record.EndDate.Before(tr.Record.EndDate), "latest end date first")
				}
			}
			if len(got) < 2 {
				break
			}
			last := got[len(got)-1]
			after = &training.Position{At: last.Record.EndDate.Time(), ID: last.ID}
		}
		assert.Len(t, seen, 7)
		assert.ElementsMatch(t, []string{"E-0", "E-1", "E-2", "E-3", "E-4", "E-5", "E-6"}, seen)

		one, err := s.InstitutionTrainings(ctx, inst, training.Filter{ExternalID: "E-4"}, nil, 10)
		require.NoError(t, err)
		require.Len(t, one, 1)
		assert.Equal(t, "E-4", one[0].Record.ExternalID)
	})
}

func TestTrainingStore_VoidKeepsTheRowAndCountsOnlyActive(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		s := db.Trainings()
		inst, w := uuid.NewString(), newWorkerID()
		a, b, c := storedTraining(inst, "A", w, trainingNow), storedTraining(inst, "B", w, trainingNow), storedTraining(inst, "C", w, trainingNow)
		c.Record.Result = training.ResultFailed
		require.NoError(t, createTx(t, db, a, b, c))

		counts, err := s.CountWorkerTrainings(ctx, w)
		require.NoError(t, err)
		assert.Equal(t, training.Counts{Trainings: 3, Passed: 2}, counts)

		voidedAt := trainingNow.Add(time.Hour)
		err = s.WithTx(ctx, func(ctx context.Context) error {
			got, err := s.LockTraining(ctx, a.ID)
			if err != nil {
				return err
			}
			got.Status, got.VoidReason, got.VoidedAt, got.UpdatedAt = training.StatusVoid, "录入错误", voidedAt, voidedAt
			return s.SaveVoid(ctx, got)
		})
		require.NoError(t, err)
		got, err := s.TrainingsByExternalID(ctx, inst, []string{"A"})
		require.NoError(t, err)
		assert.Equal(t, training.StatusVoid, got["A"].Status)
		assert.Equal(t, "录入错误", got["A"].VoidReason)
		assert.Equal(t, voidedAt, got["A"].VoidedAt)
		assert.Equal(t, credit.Tenths(0), got["A"].NetCredits())

		counts, err = s.CountWorkerTrainings(ctx, w)
		require.NoError(t, err)
		assert.Equal(t, training.Counts{Trainings: 2, Passed: 1}, counts)

		voids, err := s.InstitutionTrainings(ctx, inst, training.Filter{Status: training.StatusVoid}, nil, 10)
		require.NoError(t, err)
		require.Len(t, voids, 1)

		err = s.WithTx(ctx, func(ctx context.Context) error {
			_, err := s.LockTraining(ctx, uuid.NewString())
			return err
		})
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
	})
}

// TestTrainingService_BatchOf1000IsAHandfulOfStatements posts 1,000 records for 1,000
// registered workers through the use case and counts the statements: no per-row queries.
func TestTrainingService_BatchOf1000IsAHandfulOfStatements(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		svc, people := batchService(t, db, 1000)
		inputs := batchInputs(people, "S")
		n, err := sqlstore.CountStatements(db)
		require.NoError(t, err)
		results, err := svc.PostBatch(context.Background(), uuid.NewString(), inputs)
		require.NoError(t, err)
		require.Len(t, results, 1000)
		for i, r := range results {
			require.Equal(t, training.Result{Index: i, ID: r.ID, Status: training.Created}, r)
		}
		// identify 1 + existing 1 + insert 1 + indicator counts by day 1 + ledger ≤ 5 (a batch
		// with gold_blue_collar or apprenticeship records also reads its workers' dates and
		// writes indicator_type_days: 2 more)
		assert.LessOrEqual(t, n.Load(), int64(9))
		t.Logf("%d statements for a batch of 1,000", n.Load())
	})
}

// batchPerson is a registered cardholder for the batch tests.
type batchPerson struct {
	SSN, Name string
}

// batchService registers n cardholders in db and returns the training use cases over it.
func batchService(t testing.TB, db *sqlstore.DB, n int) (*training.Service, []batchPerson) {
	t.Helper()
	store := db.Workers(testKeys(t))
	people := make([]batchPerson, n)
	rows := make([]worker.ImportRow, n)
	for i := range people {
		people[i] = batchPerson{SSN: string(nthSSN(i)), Name: nthName(i)}
		rows[i] = row(nthSSN(i), nthName(i), nthCard(i), "active", "2020-02-02")
	}
	res, err := worker.Import(context.Background(), store, rowsOf(rows...), registryNow)
	require.NoError(t, err)
	require.Equal(t, n, res.Imported)
	clock := func() time.Time { return trainingNow }
	return &training.Service{
		Store: db.Trainings(), Directory: store, Now: clock,
		Poster: &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: clock},
	}, people
}

// batchInputs is one valid 40-hour passed record per person, external ids prefix-0, prefix-1, ….
func batchInputs(people []batchPerson, prefix string) []training.Input {
	hours, subsidized := 40, true
	inputs := make([]training.Input, len(people))
	for i, p := range people {
		inputs[i] = training.Input{
			ExternalID: fmt.Sprintf("%s-%d", prefix, i), SSN: p.SSN, Name: p.Name, CourseName: "焊工培训",
			TrainingType: training.TypeEmploymentSkills, OccupationCode: "6-18-02-04", Hours: &hours,
			StartDate: "2026-10-01", EndDate: "2026-10-20", Result: training.ResultPassed, Subsidized: &subsidized,
			TraineeGroups: []string{training.GroupMigrantWorker},
		}
	}
	return inputs
}

// TestTrainingService_BatchesAndVoidsForTheSameWorkersTakeTurns posts batches for a set of
// workers while their earlier records are voided one by one, all for the same end date (the
// same indicator day counts): a batch locks its earners' credit accounts before it writes the
// day counts, and a void does too, so they queue instead of deadlocking and no transaction has
// to be run again.
func TestTrainingService_BatchesAndVoidsForTheSameWorkersTakeTurns(t *testing.T) {
	db := testenv.MySQL(t)
	svc, people := batchService(t, db, 24)
	ctx := context.Background()
	inst := uuid.NewString()
	first, err := svc.PostBatch(ctx, inst, batchInputs(people, "A"))
	require.NoError(t, err)
	retries := db.TxRetries()

	var g errgroup.Group
	for b := range 3 {
		g.Go(func() error {
			for r := range 4 {
				if _, err := svc.PostBatch(ctx, inst, batchInputs(people, fmt.Sprintf("B%d-%d", b, r))); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for v := range 3 {
		g.Go(func() error {
			for i := v; i < len(first); i += 3 {
				if _, err := svc.Void(ctx, inst, first[i].ID, "重复录入"); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	assert.Equal(t, retries, db.TxRetries(), "no transaction was refused and run again")
	ids, err := svc.Directory.Identify(ctx, []identity.SSN{identity.SSN(people[0].SSN)})
	require.NoError(t, err)
	entries := requireIntact(t, db, ids[identity.SSN(people[0].SSN)].WorkerID)
	assert.Len(t, entries, 1+12+1, "the first record, twelve more, and the void of the first")
}
