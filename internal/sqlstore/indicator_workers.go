package sqlstore

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/training"
)

// The distinct-worker indicators are kept in indicator_type_days (migration 00037): for each
// worker and type of distinctTypes, each distinct end date d of the worker's active records of
// the type is an entry (d, p), p being the worker's date before it (noDate for the first). A
// worker has a record ending in [from, to] exactly when one of its entries has from <= d <= to
// and p < from, so the indicator adds up the entries' counts with those conditions.

// distinctTypes are the training types whose indicator counts distinct workers.
var distinctTypes = []string{training.TypeGoldBlueCollar, training.TypeApprenticeship}

// noDate is the date before a worker's first date of a type: earlier than any record's.
var noDate = time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)

// entryKey is one row key of indicator_type_days, without its slot.
type entryKey struct {
	typ        string
	end, prior time.Time
}

// workerType is one worker's records of one type.
type workerType struct{ worker, typ string }

// entries returns the entries of a worker's dates (counts by end date of its active records).
func entries(typ string, dates map[time.Time]int) []entryKey {
	days := make([]time.Time, 0, len(dates))
	for d, n := range dates {
		if n > 0 {
			days = append(days, d)
		}
	}
	slices.SortFunc(days, func(a, b time.Time) int { return a.Compare(b) })
	out := make([]entryKey, len(days))
	prior := noDate
	for i, d := range days {
		out[i] = entryKey{typ: typ, end: d, prior: prior}
		prior = d
	}
	return out
}

// activeDates reads, with a locking read, the end dates of the active records of the given
// workers and types: counts by end date, by worker and type. Two writes for one worker must
// take turns, so that each sees the dates the other committed. On MySQL they do on the
// workers' credit accounts, locked first (LedgerStore.LockAccounts: in ascending order,
// created when missing, the lock every credit posting for the worker takes anyway in the same
// transaction); the read that follows sees the latest committed rows (a locking read, at any
// isolation level). At READ COMMITTED (TrainingStore.WithTx, which the class, dispute, claim
// and fund stores' WithTx are too, so every write of training records) that read locks only
// the rows it finds; inside a transaction at REPEATABLE READ (DB.WithTx) it would also lock
// the gaps of the index around them. Without the accounts' lock, two first records of one worker
// would both find no dates; with only the gap locks, batches for different workers whose
// entries are neighbours in the index deadlocked.
func (db *DB) activeDates(ctx context.Context, pairs map[workerType]bool) (map[workerType]map[time.Time]int, error) {
	workers := make([]string, 0, len(pairs))
	for p := range pairs {
		workers = append(workers, p.worker)
	}
	slices.Sort(workers)
	workers = slices.Compact(workers)
	if db.dialect == MySQL {
		if _, err := (&LedgerStore{db: db}).lock(ctx, workers); err != nil {
			return nil, err
		}
	}
	out := map[workerType]map[time.Time]int{}
	for chunk := range slices.Chunk(workers, trainingBatch) {
		var rows []struct {
			WorkerID, TrainingType string
			EndDate                time.Time
		}
		q := db.conn(ctx).Table("trainings")
		if db.dialect == MySQL {
			q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate}).
				Table("trainings FORCE INDEX (idx_trainings_indicator_type)")
		}
		err := q.Select("worker_id", "training_type", "end_date").
			Where("training_type IN ? AND status = ? AND worker_id IN ?", distinctTypes, training.StatusActive, chunk).
			Find(&rows).Error
		if err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			k := workerType{r.WorkerID, r.TrainingType}
			if !pairs[k] {
				continue
			}
			if out[k] == nil {
				out[k] = map[time.Time]int{}
			}
			out[k][r.EndDate.UTC()]++
		}
	}
	return out, nil
}

// workerEntryDelta returns the change of indicator_type_days that changing the active records
// of the workers makes: change gives, for each worker and type, the change of its count of
// active records by end date (+1 a record added, -1 one voided). It reads the workers' dates
// as they are before the change (see activeDates), so call it before writing the records.
func (db *DB) workerEntryDelta(ctx context.Context, change map[workerType]map[time.Time]int) (map[entryKey]int64, error) {
	if len(change) == 0 {
		return nil, nil
	}
	pairs := make(map[workerType]bool, len(change))
	for k := range change {
		pairs[k] = true
	}
	before, err := db.activeDates(ctx, pairs)
	if err != nil {
		return nil, err
	}
	delta := map[entryKey]int64{}
	for k, ch := range change {
		after := map[time.Time]int{}
		for d, n := range before[k] {
			after[d] = n
		}
		for d, n := range ch {
			after[d] += n
		}
		for _, e := range entries(k.typ, before[k]) {
			delta[e]--
		}
		for _, e := range entries(k.typ, after) {
			delta[e]++
		}
	}
	return delta, nil
}

// distinctChange returns, for the active records among ts of the distinct types, the change
// of each worker's counts by end date (sign 1: added, -1: voided).
func distinctChange(ts []training.Training, sign int) map[workerType]map[time.Time]int {
	out := map[workerType]map[time.Time]int{}
	for _, t := range ts {
		if t.Status != training.StatusActive || !slices.Contains(distinctTypes, t.Record.TrainingType) {
			continue
		}
		k := workerType{t.WorkerID, t.Record.TrainingType}
		if out[k] == nil {
			out[k] = map[time.Time]int{}
		}
		out[k][t.Record.EndDate.Time()] += sign
	}
	return out
}

var typeDayColumns = []string{"training_type", "end_date", "prev_date", "slot", "workers"}

// addTypeDays adds delta to one slot of each row, in key order, with one multi-row upsert.
func (db *DB) addTypeDays(ctx context.Context, delta map[entryKey]int64) error {
	keys := make([]entryKey, 0, len(delta))
	for k, n := range delta {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b entryKey) int {
		if c := strings.Compare(a.typ, b.typ); c != 0 {
			return c
		}
		if c := a.end.Compare(b.end); c != 0 {
			return c
		}
		return a.prior.Compare(b.prior)
	})
	slot := rand.IntN(indicatorSlots) //nolint:gosec // spreads writers over rows, no secret
	for chunk := range slices.Chunk(keys, trainingBatch) {
		m := db.newLiteralInsert("indicator_type_days", typeDayColumns, len(chunk))
		for _, k := range chunk {
			m.row(k.typ, k.end, k.prior, slot, delta[k])
		}
		if db.dialect == MySQL {
			m.sql.WriteString(" ON DUPLICATE KEY UPDATE workers = workers + VALUES(workers)")
		} else {
			m.sql.WriteString(" ON CONFLICT (training_type, end_date, prev_date, slot) DO UPDATE SET workers = workers + excluded.workers")
		}
		if _, err := db.execRows(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
