package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm/clause"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
)

// entryFilter selects some of one worker's entries, in SQL (where, args) and in Go (match):
// the same condition twice.
type entryFilter struct {
	where string
	args  []any
	match func(creditEntryRow) bool
}

// OccupationSum returns the sum of the worker's certificate and certificate_revoke entries of
// one occupation: the by-level certificate credits posted for it so far. It must run inside
// the transaction that holds the worker's lock (LockAccounts), and counts every entry up to
// the account's head even if the transaction's snapshot is older than the lock.
func (s *LedgerStore) OccupationSum(ctx context.Context, workerID, occupationCode string) (credit.Tenths, error) {
	kinds := []string{credit.KindCertificate, credit.KindCertificateRevoke}
	return s.lockedSum(ctx, workerID, entryFilter{
		where: "occupation_code = ? AND kind IN ?",
		args:  []any{occupationCode, kinds},
		match: func(r creditEntryRow) bool {
			return r.OccupationCode == occupationCode && slices.Contains(kinds, r.Kind)
		},
	})
}

// SourceSum returns the sum of the worker's entries caused by one source object: what it has
// earned, net of what was reversed. Like OccupationSum it runs under the worker's lock.
func (s *LedgerStore) SourceSum(ctx context.Context, workerID, sourceType, sourceID string) (credit.Tenths, error) {
	return s.lockedSum(ctx, workerID, entryFilter{
		where: "source_type = ? AND source_id = ?",
		args:  []any{sourceType, sourceID},
		match: func(r creditEntryRow) bool { return r.SourceType == sourceType && r.SourceID == sourceID },
	})
}

// snapshotSum is what the snapshot read of lockedSum answers.
type snapshotSum struct {
	Total   int64
	Entries int64
}

// lockedSum sums the worker's entries that f selects, as of the account's head.
//
// The account lock orders every write of the worker's ledger, but on MySQL a plain SELECT reads
// the transaction's snapshot, which is older than the lock if the transaction read anything
// before taking it; entries committed in between would be missed. So: the account's last seq
// is read by a locking (current) read; the sum and the number of the worker's entries visible
// in the snapshot are read together, and when the snapshot holds all last-seq entries the sum
// is exact (seq is unique per worker). Otherwise the worker's entries are read again by a
// locking read, which sees them all, and summed here. Entries are never updated, so locking
// them costs nothing but the read.
func (s *LedgerStore) lockedSum(ctx context.Context, workerID string, f entryFilter) (credit.Tenths, error) {
	if err := requireTx(ctx); err != nil {
		return 0, err
	}
	var accounts []creditAccountRow
	q := s.db.conn(ctx).Select("worker_id", "last_seq").Where("worker_id = ?", workerID)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	if err := q.Find(&accounts).Error; err != nil {
		return 0, translate(err)
	}
	if len(accounts) == 0 {
		return 0, errs.Internal(errors.New("credit ledger: sum read before LockAccounts"), "ledger lock not held")
	}
	lastSeq := accounts[0].LastSeq
	if lastSeq == 0 {
		return 0, nil
	}

	var snap snapshotSum
	query := "SELECT (SELECT COALESCE(SUM(amount), 0) FROM credit_entries WHERE worker_id = ? AND " + f.where + ") AS total, " +
		"(SELECT COUNT(*) FROM credit_entries WHERE worker_id = ?) AS entries"
	args := append(append([]any{workerID}, f.args...), workerID)
	if err := s.db.conn(ctx).Raw(query, args...).Find(&snap).Error; err != nil {
		return 0, translate(err)
	}
	switch {
	case snap.Entries == lastSeq:
		return credit.Tenths(snap.Total), nil
	case snap.Entries > lastSeq:
		return 0, errs.Internal(fmt.Errorf("credit ledger: worker %s has more entries than its account's last seq %d", workerID, lastSeq), "ledger inconsistent")
	}

	var current []creditEntryRow
	q = s.db.conn(ctx).Where("worker_id = ?", workerID)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	if err := q.Find(&current).Error; err != nil {
		return 0, translate(err)
	}
	if int64(len(current)) != lastSeq {
		return 0, errs.Internal(fmt.Errorf("credit ledger: worker %s has %d entries, its account's last seq is %d", workerID, len(current), lastSeq), "ledger inconsistent")
	}
	var total int64
	for _, r := range current {
		if f.match(r) {
			total += r.Amount
		}
	}
	return credit.Tenths(total), nil
}
