package sqlstore

import (
	"context"
	"math/rand/v2"
	"slices"
	"time"

	"skillrecord/internal/training"
)

// The indicator table's record counts are kept by day in indicator_training_days (migration
// 00036), in the transaction of every write of trainings, so that the indicators add up a few
// thousand small rows instead of scanning millions of records. TrainingStore.CreateTrainings
// adds the active records it inserts; TrainingStore.SaveVoid takes away the record it voids.
// No other statement writes trainings' type, end date, subsidy, groups or status.

// indicatorSlots is how many rows a day's counts are spread over (see migration 00036).
const indicatorSlots = 16

// dayDelta are one day's changes of the counts.
type dayDelta struct {
	subsidized, migrant, entrepreneurship int64
}

// indicatorDelta returns the changes of the counts that adding (sign 1) or taking away (sign
// -1) the active records among ts makes, by end date.
func indicatorDelta(ts []training.Training, sign int64) map[time.Time]dayDelta {
	out := map[time.Time]dayDelta{}
	for _, t := range ts {
		if t.Status != training.StatusActive {
			continue
		}
		r := t.Record
		var d dayDelta
		if r.Subsidized {
			d.subsidized = sign
			if slices.Contains(r.TraineeGroups, training.GroupMigrantWorker) {
				d.migrant = sign
			}
		}
		if r.TrainingType == training.TypeEntrepreneurship {
			d.entrepreneurship = sign
		}
		if d == (dayDelta{}) {
			continue
		}
		day := r.EndDate.Time()
		c := out[day]
		c.subsidized += d.subsidized
		c.migrant += d.migrant
		c.entrepreneurship += d.entrepreneurship
		out[day] = c
	}
	return out
}

var indicatorDayColumns = []string{"end_date", "slot", "subsidized", "migrant", "entrepreneurship"}

// addIndicatorDays adds the changes to one slot of each day, in day order (so that two
// transactions that add to the same slot lock its rows in the same order), with one multi-row
// upsert. It must run in the transaction that writes the records.
func (db *DB) addIndicatorDays(ctx context.Context, delta map[time.Time]dayDelta) error {
	if len(delta) == 0 {
		return nil
	}
	days := make([]time.Time, 0, len(delta))
	for d := range delta {
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	slot := rand.IntN(indicatorSlots) //nolint:gosec // spreads writers over rows, no secret
	m := db.newLiteralInsert("indicator_training_days", indicatorDayColumns, len(days))
	for _, d := range days {
		c := delta[d]
		m.row(d, slot, c.subsidized, c.migrant, c.entrepreneurship)
	}
	if db.dialect == MySQL {
		m.sql.WriteString(" ON DUPLICATE KEY UPDATE subsidized = subsidized + VALUES(subsidized)," +
			" migrant = migrant + VALUES(migrant), entrepreneurship = entrepreneurship + VALUES(entrepreneurship)")
	} else {
		m.sql.WriteString(" ON CONFLICT (end_date, slot) DO UPDATE SET subsidized = subsidized + excluded.subsidized," +
			" migrant = migrant + excluded.migrant, entrepreneurship = entrepreneurship + excluded.entrepreneurship")
	}
	_, err := db.execRows(ctx, m)
	return err
}

// RebuildIndicatorDays computes indicator_training_days and indicator_type_days again from
// the records, as migrations 00036 and 00037 first filled them: for data loaded around the
// stores (benchmarks), or to check them. It runs in one transaction.
func (db *DB) RebuildIndicatorDays(ctx context.Context) error {
	return db.WithTx(ctx, func(ctx context.Context) error {
		for _, stmt := range []string{"DELETE FROM indicator_training_days", rebuildIndicatorDays, "DELETE FROM indicator_type_days"} {
			if _, err := db.exec(ctx, stmt, nil); err != nil {
				return err
			}
		}
		_, err := db.exec(ctx, rebuildTypeDays, []any{noDate, distinctTypes[0], distinctTypes[1]})
		return err
	})
}

// rebuildTypeDays is migration 00037's statement that fills indicator_type_days.
const rebuildTypeDays = `INSERT INTO indicator_type_days (training_type, end_date, prev_date, slot, workers)
SELECT training_type, end_date, prev_date, 0, COUNT(*)
FROM (
    SELECT training_type, end_date,
           COALESCE(LAG(end_date) OVER (PARTITION BY training_type, worker_id ORDER BY end_date), ?) AS prev_date
    FROM (SELECT DISTINCT training_type, worker_id, end_date FROM trainings
          WHERE status = 'active' AND training_type IN (?, ?)) d
) e
GROUP BY training_type, end_date, prev_date`

// rebuildIndicatorDays is migration 00036's statement that fills indicator_training_days.
const rebuildIndicatorDays = `INSERT INTO indicator_training_days (end_date, slot, subsidized, migrant, entrepreneurship)
SELECT end_date, 0,
       SUM(CASE WHEN subsidized = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN subsidized = 1 AND (trainee_groups & 1) <> 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN training_type = 'entrepreneurship' THEN 1 ELSE 0 END)
FROM trainings
WHERE status = 'active'
GROUP BY end_date`
