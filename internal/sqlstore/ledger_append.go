package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
)

// The columns of the ledger's multi-row statements, in the order their values are given.
var (
	accountColumns = []string{"worker_id", "last_seq", "balance", "earned", "converted", "reversed", "last_hash", "updated_at"}
	entryColumns   = []string{"worker_id", "seq", "kind", "amount", "balance_after", "rule_version", "source_type",
		"source_id", "occupation_code", "created_at", "prev_hash", "hash"}
)

// LockAccounts creates the accounts of workerIDs that do not exist yet and locks all of them
// until the caller's transaction ends (it must run inside one), in ascending worker id order,
// so that transactions locking overlapping sets of workers queue instead of deadlocking. The
// locking read sees the latest committed state, whatever snapshot the transaction holds.
//
// On MySQL, when every account exists already (a plain read tells, and accounts are never
// deleted) the lock is one locking SELECT. Otherwise the missing rows are created first by one
// multi-row insert-if-absent over all the ids, which also locks them in ascending order; a
// locking SELECT of a missing key would take a gap lock instead, and two transactions holding
// the same gap and then inserting into it deadlock.
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

// Append stores the non-zero postings as entries, in order, chained after each worker's
// newest entry, inside the caller's transaction (errs.Internal without one): it locks the
// postings' accounts (LockAccounts), inserts every entry with one multi-row INSERT per
// thousand and writes the accounts' new heads and totals with one multi-row upsert per
// thousand — four statements for a batch of a thousand postings whose workers have accounts.
// It returns the stored entries in the postings' order; a posting that fails
// credit.Posting.Check fails the whole call before anything is written.
func (s *LedgerStore) Append(ctx context.Context, postings []credit.Posting) ([]credit.Entry, error) {
	p, err := s.prepare(ctx, postings)
	if err != nil {
		return nil, err
	}
	if err := p.Write(ctx); err != nil {
		return nil, err
	}
	return p.entries, nil
}

// PrepareAppend is Append's first half: it locks the accounts and chains the entries; the
// result's Write stores them.
func (s *LedgerStore) PrepareAppend(ctx context.Context, postings []credit.Posting) (credit.PreparedAppend, error) {
	return s.prepare(ctx, postings)
}

// preparedAppend is an Append whose entries are chained and not yet stored.
type preparedAppend struct {
	s        *LedgerStore
	accounts map[string]*creditAccountRow // as locked
	entries  []credit.Entry
	heads    map[string]*credit.Entry
	totals   map[string]credit.Account
}

func (s *LedgerStore) prepare(ctx context.Context, postings []credit.Posting) (*preparedAppend, error) {
	if err := requireTx(ctx); err != nil {
		return nil, err
	}
	keep := make([]credit.Posting, 0, len(postings))
	workers := make([]string, 0, len(postings))
	for _, p := range postings {
		if err := p.Check(); err != nil {
			return nil, err
		}
		if p.Amount != 0 {
			keep = append(keep, p)
			workers = append(workers, p.WorkerID)
		}
	}
	p := &preparedAppend{s: s}
	if len(keep) == 0 {
		return p, nil
	}
	accounts, err := s.lock(ctx, workers)
	if err != nil {
		return nil, err
	}
	p.accounts = accounts
	p.entries = make([]credit.Entry, len(keep))
	p.heads = make(map[string]*credit.Entry, len(accounts))
	p.totals = make(map[string]credit.Account, len(accounts))
	for id, r := range accounts {
		p.heads[id] = head(*r)
		p.totals[id] = toAccount(*r)
	}
	for i, x := range keep {
		p.entries[i] = credit.Chain(p.heads[x.WorkerID], credit.Entry{
			WorkerID: x.WorkerID, Kind: x.Kind, Amount: x.Amount, RuleVersion: x.RuleVersion,
			SourceType: x.SourceType, SourceID: x.SourceID, OccupationCode: x.OccupationCode, CreatedAt: x.CreatedAt,
		})
		p.heads[x.WorkerID] = &p.entries[i]
		p.totals[x.WorkerID] = p.totals[x.WorkerID].Add(p.entries[i])
	}
	return p, nil
}

// Entries returns the chained entries, in the postings' order.
func (p *preparedAppend) Entries() []credit.Entry { return p.entries }

// Write stores the entries and the accounts' new heads, in ctx's transaction.
func (p *preparedAppend) Write(ctx context.Context) error {
	if len(p.entries) == 0 {
		return nil
	}
	if err := p.s.insertEntries(ctx, p.entries); err != nil {
		return err
	}
	if err := p.s.saveHeads(ctx, p.accounts, p.totals, p.heads); err != nil {
		return err
	}
	if st := stateOf(ctx); st != nil {
		saved := make(map[string]*creditAccountRow, len(p.totals))
		for id, a := range p.totals {
			saved[id] = &creditAccountRow{WorkerID: id, LastSeq: a.LastSeq, Balance: int64(a.Balance), Earned: int64(a.Earned),
				Converted: int64(a.Converted), Reversed: int64(a.Reversed), LastHash: p.heads[id].Hash, UpdatedAt: a.UpdatedAt.UTC().Truncate(time.Microsecond)}
		}
		st.locks.keep(saved)
	}
	return nil
}

// insertEntries writes entries with multi-row INSERTs, in (worker_id, seq) order: the order
// of the table's primary key, so that each row goes in at or after the page of the one before
// instead of anywhere.
func (s *LedgerStore) insertEntries(ctx context.Context, entries []credit.Entry) error {
	ordered := slices.Clone(entries)
	slices.SortFunc(ordered, func(a, b credit.Entry) int {
		return cmp.Or(strings.Compare(a.WorkerID, b.WorkerID), cmp.Compare(a.Seq, b.Seq))
	})
	for chunk := range slices.Chunk(ordered, ledgerBatch) {
		m := s.db.newLiteralInsert("credit_entries", entryColumns, len(chunk))
		for _, e := range chunk {
			m.row(e.WorkerID, e.Seq, e.Kind, int64(e.Amount), int64(e.BalanceAfter), e.RuleVersion, e.SourceType,
				e.SourceID, e.OccupationCode, e.CreatedAt, nullBytes(e.PrevHash), e.Hash)
		}
		if _, err := s.db.execRows(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// saveHeads writes the accounts' new heads and totals with multi-row upserts, in ascending
// worker id order (every account in totals is locked and got an entry). Of the three totals
// it writes only those that changed for some account: a batch of training records earns and
// leaves converted and reversed as they are, and an upsert of five columns instead of eight
// took ~15 % less of MariaDB's time for 1,000 accounts (7.5 ms instead of 9.1, 2026-12-07).
func (s *LedgerStore) saveHeads(ctx context.Context, before map[string]*creditAccountRow, totals map[string]credit.Account, heads map[string]*credit.Entry) error {
	touched := slices.Sorted(maps.Keys(totals))
	var earned, converted, reversed bool
	for _, id := range touched {
		a, b := totals[id], before[id]
		earned = earned || int64(a.Earned) != b.Earned
		converted = converted || int64(a.Converted) != b.Converted
		reversed = reversed || int64(a.Reversed) != b.Reversed
	}
	cols := []string{"worker_id", "last_seq", "balance"}
	for _, c := range []struct {
		name    string
		changed bool
	}{{"earned", earned}, {"converted", converted}, {"reversed", reversed}} {
		if c.changed {
			cols = append(cols, c.name)
		}
	}
	cols = append(cols, "last_hash", "updated_at")
	values := make([]any, 0, len(cols))
	for chunk := range slices.Chunk(touched, ledgerBatch) {
		m := s.db.newLiteralInsert("credit_accounts", cols, len(chunk))
		for _, id := range chunk {
			a := totals[id]
			values = append(values[:0], id, a.LastSeq, int64(a.Balance))
			if earned {
				values = append(values, int64(a.Earned))
			}
			if converted {
				values = append(values, int64(a.Converted))
			}
			if reversed {
				values = append(values, int64(a.Reversed))
			}
			m.row(append(values, nullBytes(heads[id].Hash), a.UpdatedAt)...)
		}
		m.upsert(s.db.dialect, "worker_id", cols[1:])
		if _, err := s.db.execRows(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// nullBytes is b as a statement value: NULL when empty.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
