package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
)

// A worker's credit account is the lock every posting for the worker takes first, in its
// transaction (see credit.Ledger's lock protocol). This file takes it; ledger_append.go
// writes the entries and the accounts' heads under it.

// LockAccounts creates the accounts of workerIDs that do not exist yet and locks all of them
// until the caller's transaction ends (it must run inside one), in ascending worker id order,
// so that transactions locking overlapping sets of workers queue instead of deadlocking. The
// locking read sees the latest committed state, whatever snapshot the transaction holds.
//
// On MySQL, when every account exists already (a plain read tells, and accounts are never
// deleted) the lock is one locking SELECT. Otherwise the missing rows are created first by one
// multi-row insert-if-absent over all the ids, which also locks them in ascending order; a
// locking SELECT of a missing key would take a gap lock instead, and two transactions holding
// the same gap and then inserting into it deadlock. Accounts the transaction has locked
// already are not read again (accountLocks).
func (s *LedgerStore) LockAccounts(ctx context.Context, workerIDs ...string) (map[string]credit.Account, error) {
	rows, err := s.lock(ctx, workerIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]credit.Account, len(rows))
	for id, r := range rows {
		out[id] = toAccount(*r)
	}
	return out, nil
}

// lock does LockAccounts' work and returns the locked rows by worker id.
func (s *LedgerStore) lock(ctx context.Context, workerIDs []string) (map[string]*creditAccountRow, error) {
	if err := requireTx(ctx); err != nil {
		return nil, err
	}
	ids := slices.Clone(workerIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return map[string]*creditAccountRow{}, nil
	}
	if ids[0] == "" {
		return nil, errs.Internal(errors.New("credit ledger: empty worker id"), "invalid ledger posting")
	}
	var held *accountLocks
	if st := stateOf(ctx); st != nil {
		held = &st.locks
	}
	out := make(map[string]*creditAccountRow, len(ids))
	if held != nil {
		ids = held.take(ids, out)
		if len(ids) == 0 {
			return out, nil
		}
	}
	all := false
	if s.db.dialect == MySQL {
		var err error
		if all, err = s.allExist(ctx, ids); err != nil {
			return nil, err
		}
	}
	// On SQLite the insert comes first whatever exists: a transaction that reads before it
	// writes cannot take the write lock once another writer has committed (SQLITE_BUSY).
	if !all {
		now := s.db.gorm.NowFunc().UTC()
		for chunk := range slices.Chunk(ids, ledgerBatch) {
			m := s.db.newLiteralInsert("credit_accounts", []string{"worker_id", "updated_at"}, len(chunk))
			for _, id := range chunk {
				m.row(id, now)
			}
			m.upsert(s.db.dialect, "worker_id", nil)
			if _, err := s.db.execRows(ctx, m); err != nil {
				return nil, err
			}
		}
	}
	locked := len(out)
	for chunk := range slices.Chunk(ids, ledgerBatch) {
		in, args := s.db.inStrings(chunk)
		q := "SELECT " + strings.Join(accountColumns, ", ") + " FROM credit_accounts WHERE worker_id IN " + in + " ORDER BY worker_id"
		if s.db.dialect == MySQL {
			q += " FOR UPDATE"
		}
		err := s.db.query(ctx, q, args, func(rs *sql.Rows) error {
			var r creditAccountRow
			if err := rs.Scan(&r.WorkerID, &r.LastSeq, &r.Balance, &r.Earned, &r.Converted, &r.Reversed, &r.LastHash, &r.UpdatedAt); err != nil {
				return err
			}
			out[r.WorkerID] = &r
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(out)-locked != len(ids) {
		return nil, errs.Internal(errors.New("credit ledger: an account row vanished while locking"), "database error")
	}
	if held != nil {
		held.keep(out)
	}
	return out, nil
}

// accountLocks are the credit accounts a transaction has locked so far, as it last read or
// wrote them (each transaction's txState holds one). A lock of accounts the
// transaction holds already is then no statement at all: a batch of training records locks
// its workers' accounts for the indicator counts (activeDates) and again for the ledger
// append, and the second lock was a second locking read of the same rows. The rows stay
// right because the transaction's own writes (saveHeads) update them, no one else can change
// a locked row, and accounts are never deleted; a new attempt of the transaction starts with
// none.
type accountLocks struct {
	mu   sync.Mutex
	rows map[string]creditAccountRow
}

// take moves the held accounts of ids (sorted) into out and returns the ids not held, in order.
func (h *accountLocks) take(ids []string, out map[string]*creditAccountRow) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	rest := ids[:0]
	for _, id := range ids {
		if r, ok := h.rows[id]; ok {
			out[id] = &r
		} else {
			rest = append(rest, id)
		}
	}
	return rest
}

// keep records rows as locked, in the state given.
func (h *accountLocks) keep(rows map[string]*creditAccountRow) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.rows == nil {
		h.rows = make(map[string]creditAccountRow, len(rows))
	}
	for id, r := range rows {
		h.rows[id] = *r
	}
}

// allExist reports whether every account of ids (sorted, distinct) exists, with a plain read
// that takes no lock.
func (s *LedgerStore) allExist(ctx context.Context, ids []string) (bool, error) {
	found := 0
	for chunk := range slices.Chunk(ids, ledgerBatch) {
		in, args := s.db.inStrings(chunk)
		err := s.db.query(ctx, "SELECT worker_id FROM credit_accounts WHERE worker_id IN "+in, args, func(*sql.Rows) error { found++; return nil })
		if err != nil {
			return false, err
		}
	}
	return found == len(ids), nil
}
