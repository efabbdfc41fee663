package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// LockWorker implements worker.Store: one transaction that reads the worker of ssn with a
// locking read (SELECT … FOR UPDATE on MySQL, MariaDB and TiDB; SQLite's write transactions
// are serial already), then the worker's cards, then runs fn. A cardholder import of the same
// worker locks the same row first (see lockWorkers), so the two cannot interleave: an
// activation checks the card an import left, and an import waits for an activation under way.
// The cards are read after the lock is granted, so the transaction's snapshot is taken after
// the import it waited for committed. A deadlock or lock wait timeout is retried.
func (s *WorkerStore) LockWorker(ctx context.Context, ssn identity.SSN, fn func(ctx context.Context, w worker.Worker) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.db.WithTx(ctx, func(ctx context.Context) error {
			var row workerRow
			q := s.db.conn(ctx)
			if s.db.dialect == MySQL {
				q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
			}
			if err := q.Where("ssn_index = ?", s.index.Index(workerIndexSSN, string(ssn))).Take(&row).Error; err != nil {
				return translate(err)
			}
			w, err := s.withCards(ctx, row)
			if err != nil {
				return err
			}
			return fn(ctx, w)
		})
		if err == nil || attempt == registryAttempts || ctx.Err() != nil || !IsRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
	}
}

// lockWorkers takes the row locks of the registered workers among ssns before a registry
// transaction reads them, so that it waits for an activation (LockWorker) of any of them, and
// an activation waits for it. The ids are found first outside the transaction and then
// locked by primary key: a locking read by ssn_index would also lock the gaps of the SSNs not
// registered yet, on which concurrent imports of new workers would deadlock. A worker
// registered between the two steps is not locked, but it is new to this import, which then
// fails on its unique key and is retried. Only MySQL needs it: SQLite's write transactions
// are serial.
func (s *WorkerStore) lockWorkers(ctx context.Context, ids []string) error {
	if s.db.dialect != MySQL || len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.query(ctx, "SELECT id FROM workers WHERE id IN ("+placeholders(len(ids))+") FOR UPDATE", args)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return translate(rows.Err())
}

// registeredIDs returns, on MySQL, the ids of the registered workers among ssns, read on the
// pool (outside any transaction) for lockWorkers.
func (s *WorkerStore) registeredIDs(ctx context.Context, ssns []identity.SSN) ([]string, error) {
	if s.db.dialect != MySQL || len(ssns) == 0 {
		return nil, nil
	}
	ssnIdx := make([]any, len(ssns))
	for i, ssn := range ssns {
		ssnIdx[i] = s.index.Index(workerIndexSSN, string(ssn))
	}
	rows, err := s.db.sql.QueryContext(ctx, "SELECT id FROM workers WHERE ssn_index IN ("+placeholders(len(ssnIdx))+")", ssnIdx...) //nolint:gosec // G202: only "?" placeholders are concatenated; the values are bound
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		ids = append(ids, id)
	}
	return ids, translate(rows.Err())
}
