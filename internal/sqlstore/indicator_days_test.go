package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"skillrecord/internal/civil"
	"skillrecord/internal/indicator"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
	"skillrecord/internal/training"
)

// scanCounts are the record counts of the indicator table computed the long way, over every
// record: what indicator_training_days must always add up to.
const scanCounts = `SELECT
  COALESCE(SUM(CASE WHEN subsidized = 1 THEN 1 ELSE 0 END), 0) AS subsidized,
  COALESCE(SUM(CASE WHEN subsidized = 1 AND (trainee_groups & 1) <> 0 THEN 1 ELSE 0 END), 0) AS migrant,
  COALESCE(SUM(CASE WHEN training_type = 'entrepreneurship' THEN 1 ELSE 0 END), 0) AS entrepreneurship
FROM trainings
WHERE status = 'active' AND end_date >= ? AND end_date <= ?`

// scanWorkers counts the distinct workers with an active record of a type ending in the
// period the long way, over every record.
const scanWorkers = `SELECT COUNT(DISTINCT worker_id) FROM trainings
WHERE training_type = ? AND status = 'active' AND end_date >= ? AND end_date <= ?`

// scanned is the kept figures computed by scanning: subsidised, migrant-worker and
// entrepreneurship records, gold-blue-collar and apprenticeship workers.
func scanned(t *testing.T, db *sqlstore.DB, p indicator.Period) [5]int64 {
	t.Helper()
	var c [5]int64
	require.NoError(t, db.SQL().QueryRow(scanCounts, p.From.Time(), p.To.Time()).Scan(&c[0], &c[1], &c[2]))
	require.NoError(t, db.SQL().QueryRow(scanWorkers, training.TypeGoldBlueCollar, p.From.Time(), p.To.Time()).Scan(&c[3]))
	require.NoError(t, db.SQL().QueryRow(scanWorkers, training.TypeApprenticeship, p.From.Time(), p.To.Time()).Scan(&c[4]))
	return c
}

func kept(t *testing.T, db *sqlstore.DB, p indicator.Period) [5]int64 {
	t.Helper()
	got, err := db.Reports().IndicatorCounts(context.Background(), p)
	require.NoError(t, err)
	return [5]int64{got.SubsidizedTrainings, got.MigrantWorkerTrainings, got.EntrepreneurshipTrainings,
		got.GoldBlueCollarWorkers, got.ApprenticeshipWorkers}
}

// randomTrainings makes n records of random type, end date (2024–2025; half of them on one
// of thirty days, so that a worker often has several records of a type on one day), subsidy,
// groups and status (about one in ten stored void already), for forty workers.
func randomTrainings(r *rand.Rand, prefix string, n int) []training.Training {
	types := []string{training.TypeEntrepreneurship, training.TypeGoldBlueCollar, training.TypeEmploymentSkills, training.TypeApprenticeship}
	groups := [][]string{nil, {training.GroupMigrantWorker}, {training.GroupYouth}, {training.GroupMigrantWorker, training.GroupVeteran}}
	out := make([]training.Training, n)
	for i := range out {
		end := civil.Date{Y: 2024 + r.IntN(2), M: time.Month(1 + r.IntN(12)), D: 1 + r.IntN(28)}
		if r.IntN(2) == 0 {
			k := r.IntN(30)
			end = civil.Date{Y: 2024 + k%2, M: time.Month(1 + k%12), D: 1 + k%3*14} // the 1st, 15th or 29th
		}
		rec := repTraining{inst: repInst1, ext: fmt.Sprintf("%s-%d", prefix, i), worker: fmt.Sprintf("R%d", r.IntN(40)),
			typ: types[r.IntN(len(types))], end: end, subsidized: r.IntN(3) > 0, groups: groups[r.IntN(len(groups))],
			void: r.IntN(10) == 0}
		out[i] = rec.stored()
	}
	return out
}

func TestIndicatorDays_EqualTheScanAfterInsertsAndVoids(t *testing.T) {
	periods := []indicator.Period{
		{From: repDay(2025, 1, 1), To: repDay(2025, 12, 31)},
		{From: repDay(2024, 1, 1), To: repDay(2025, 12, 31)},
		{From: repDay(2024, 3, 15), To: repDay(2024, 3, 15)},
		{From: repDay(2025, 6, 1), To: repDay(2025, 8, 31)},
		{From: repDay(2024, 3, 15), To: repDay(2025, 3, 15)},
		{From: repDay(2024, 5, 16), To: repDay(2024, 7, 1)},
		{From: repDay(2026, 1, 1), To: repDay(2026, 12, 31)},
	}
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			repData(t, db)
			store := db.Trainings()
			r := rand.New(rand.NewPCG(36, 1))
			var active []string
			for batch := range 6 {
				ts := randomTrainings(r, fmt.Sprintf("B%d", batch), 50+r.IntN(100))
				require.NoError(t, store.WithTx(ctx, func(ctx context.Context) error { return store.CreateTrainings(ctx, ts) }))
				for _, tr := range ts {
					if tr.Status == training.StatusActive {
						active = append(active, tr.ID)
					}
				}
				// Void a few, as training.Service.Void does: lock, then save.
				for range 10 {
					k := r.IntN(len(active))
					id := active[k]
					active = append(active[:k], active[k+1:]...)
					require.NoError(t, store.WithTx(ctx, func(ctx context.Context) error {
						tr, err := store.LockTraining(ctx, id)
						if err != nil {
							return err
						}
						tr.Status, tr.VoidReason, tr.VoidedAt, tr.UpdatedAt = training.StatusVoid, "重复录入", repNow, repNow
						return store.SaveVoid(ctx, tr)
					}))
				}
				for _, p := range periods {
					assert.Equal(t, scanned(t, db, p), kept(t, db, p), "after batch %d, period %v", batch, p)
				}
			}
			// The first date's date before is stored as migration 00037 writes it.
			sentinel := "1000-01-01"
			if name == "sqlite" {
				sentinel = "1000-01-01 00:00:00+00:00"
			}
			var firsts, literal int
			require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM indicator_type_days WHERE prev_date < ?", repDay(1000, 1, 2).Time()).Scan(&firsts))
			require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM indicator_type_days WHERE prev_date = '"+sentinel+"'").Scan(&literal))
			assert.Positive(t, firsts)
			assert.Equal(t, firsts, literal, "first dates stored as the migration's literal %s", sentinel)
			// A batch that fails (a used external id) adds nothing: its transaction rolls back.
			dup := randomTrainings(r, "B0", 5)
			err := store.WithTx(ctx, func(ctx context.Context) error { return store.CreateTrainings(ctx, dup) })
			require.Error(t, err)
			for _, p := range periods {
				assert.Equal(t, scanned(t, db, p), kept(t, db, p), "after a refused batch, period %v", p)
			}
			// Rebuilding from the records (as migration 00036 filled the table) changes no figure.
			before := make([][5]int64, len(periods))
			for i, p := range periods {
				before[i] = kept(t, db, p)
			}
			require.NoError(t, db.RebuildIndicatorDays(ctx))
			for i, p := range periods {
				assert.Equal(t, before[i], kept(t, db, p), "rebuilt, period %v", p)
			}
		})
	}
}

func TestIndicatorDays_VoidingAVoidRecordAgainChangesNothing(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			store := db.Trainings()
			rec := repTraining{inst: repInst1, ext: "V1", worker: "W1", typ: training.TypeEntrepreneurship,
				end: repDay(2025, 5, 5), subsidized: true, groups: []string{training.GroupMigrantWorker}}.stored()
			rec.ID = uuid.Must(uuid.NewV7()).String()
			require.NoError(t, store.WithTx(ctx, func(ctx context.Context) error { return store.CreateTrainings(ctx, []training.Training{rec}) }))
			p := indicator.Period{From: repDay(2025, 1, 1), To: repDay(2025, 12, 31)}
			assert.Equal(t, [5]int64{1, 1, 1, 0, 0}, kept(t, db, p))
			rec.Status, rec.VoidReason, rec.VoidedAt = training.StatusVoid, "重复录入", repNow
			for range 2 {
				require.NoError(t, store.WithTx(ctx, func(ctx context.Context) error { return store.SaveVoid(ctx, rec) }))
				assert.Equal(t, [5]int64{}, kept(t, db, p))
				assert.Equal(t, scanned(t, db, p), kept(t, db, p))
			}
		})
	}
}

// TestIndicatorDays_ConcurrentBatchesForTheSameWorkersStayExact posts batches for the same few
// workers from several goroutines at once: each write locks its workers' credit accounts and
// then reads their dates, so the kept distinct-worker counts still equal the scan, and no
// batch fails.
func TestIndicatorDays_ConcurrentBatchesForTheSameWorkersStayExact(t *testing.T) {
	db := testenv.MySQL(t)
	ctx := context.Background()
	store := db.Trainings()
	var g errgroup.Group
	for w := range 8 {
		g.Go(func() error {
			r := rand.New(rand.NewPCG(uint64(w), 37))
			for b := range 5 {
				ts := randomTrainings(r, fmt.Sprintf("C%d-%d", w, b), 40)
				if err := store.WithTx(ctx, func(ctx context.Context) error { return store.CreateTrainings(ctx, ts) }); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	assert.Zero(t, db.TxRetries(), "no batch was refused and run again")
	for _, p := range []indicator.Period{
		{From: repDay(2024, 1, 1), To: repDay(2025, 12, 31)},
		{From: repDay(2025, 1, 1), To: repDay(2025, 12, 31)},
		{From: repDay(2024, 5, 16), To: repDay(2024, 7, 1)},
	} {
		assert.Equal(t, scanned(t, db, p), kept(t, db, p), "period %v", p)
	}
}

// TestIndicatorDays_ConcurrentBatchesForDifferentWorkersNeverDeadlock posts, from eight
// goroutines at once, batches of first gold-blue-collar and apprenticeship records for workers
// of their own, whose index entries are neighbours of the others' (random ids). At REPEATABLE
// READ each batch's locking read locked the gaps around its workers and the batches deadlocked
// when inserting into each other's gaps; now no transaction has to be run again.
func TestIndicatorDays_ConcurrentBatchesForDifferentWorkersNeverDeadlock(t *testing.T) {
	db := testenv.MySQL(t)
	ctx := context.Background()
	store := db.Trainings()
	types := []string{training.TypeGoldBlueCollar, training.TypeApprenticeship}
	var g errgroup.Group
	for w := range 8 {
		g.Go(func() error {
			for b := range 5 {
				ts := make([]training.Training, 40)
				for i := range ts {
					rec := repTraining{inst: repInst1, ext: fmt.Sprintf("N%d-%d-%d", w, b, i), worker: fmt.Sprintf("N%d-%d-%d", w, b, i),
						typ: types[i%2], end: repDay(2025, time.Month(1+i%12), 1+i%28), subsidized: true}
					ts[i] = rec.stored()
				}
				if err := store.WithTx(ctx, func(ctx context.Context) error { return store.CreateTrainings(ctx, ts) }); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	assert.Zero(t, db.TxRetries(), "no batch was refused and run again")
	p := indicator.Period{From: repDay(2025, 1, 1), To: repDay(2025, 12, 31)}
	got := kept(t, db, p)
	assert.Equal(t, scanned(t, db, p), got)
	assert.EqualValues(t, [2]int64{8 * 5 * 20, 8 * 5 * 20}, [2]int64{got[3], got[4]}, "each worker counted once")
}
