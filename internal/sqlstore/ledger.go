package sqlstore

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
)

// LedgerStore is the skill-credit ledger: credit_entries holds every worker's chain of
// entries, credit_accounts one row per worker with the chain's head (last seq, hash, balance)
// and running totals. The account row is also the worker's ledger lock: every write locks it
// first (SELECT … FOR UPDATE on MySQL; SQLite's immediate transactions already admit one
// writer at a time), in ascending worker id order.
type LedgerStore struct {
	db *DB
}

var (
	_ credit.Ledger       = (*LedgerStore)(nil)
	_ credit.LedgerReader = (*LedgerStore)(nil)
)

// Ledger returns the credit ledger store on db.
func (db *DB) Ledger() *LedgerStore { return &LedgerStore{db: db} }

// ledgerBatch is the number of rows per multi-row INSERT, and of ids per IN list.
const ledgerBatch = 500

type creditAccountRow struct {
	WorkerID  string `gorm:"primaryKey"`
	LastSeq   int64
	Balance   int64
	Earned    int64
	Converted int64
	Reversed  int64
	LastHash  []byte
	UpdatedAt time.Time
}

func (creditAccountRow) TableName() string { return "credit_accounts" }

type creditEntryRow struct {
	ID             int64 `gorm:"primaryKey"`
	WorkerID       string
	Seq            int64
	Kind           string
	Amount         int64
	BalanceAfter   int64
	RuleVersion    string
	SourceType     string
	SourceID       string
	OccupationCode string
	CreatedAt      time.Time
	PrevHash       []byte
	Hash           []byte
}

func (creditEntryRow) TableName() string { return "credit_entries" }

func toEntryRow(e credit.Entry) creditEntryRow {
	return creditEntryRow{
		WorkerID: e.WorkerID, Seq: e.Seq, Kind: e.Kind, Amount: int64(e.Amount), BalanceAfter: int64(e.BalanceAfter),
		RuleVersion: e.RuleVersion, SourceType: e.SourceType, SourceID: e.SourceID, OccupationCode: e.OccupationCode,
		CreatedAt: e.CreatedAt, PrevHash: nilIfEmpty(e.PrevHash), Hash: e.Hash,
	}
}

func fromEntryRow(r creditEntryRow) credit.Entry {
	return credit.Entry{
		WorkerID: r.WorkerID, Seq: r.Seq, Kind: r.Kind, Amount: credit.Tenths(r.Amount),
		BalanceAfter: credit.Tenths(r.BalanceAfter), RuleVersion: r.RuleVersion, SourceType: r.SourceType,
		SourceID: r.SourceID, OccupationCode: r.OccupationCode, CreatedAt: r.CreatedAt.UTC(),
		PrevHash: nilIfEmpty(r.PrevHash), Hash: r.Hash,
	}
}

func fromEntryRows(rows []creditEntryRow) []credit.Entry {
	if len(rows) == 0 {
		return nil
	}
	out := make([]credit.Entry, len(rows))
	for i, r := range rows {
		out[i] = fromEntryRow(r)
	}
	return out
}

// toAccount converts an account row; an account without entries has no UpdatedAt.
func toAccount(r creditAccountRow) credit.Account {
	a := credit.Account{
		WorkerID: r.WorkerID, Balance: credit.Tenths(r.Balance), Earned: credit.Tenths(r.Earned),
		Converted: credit.Tenths(r.Converted), Reversed: credit.Tenths(r.Reversed), LastSeq: r.LastSeq,
	}
	if r.LastSeq > 0 {
		a.UpdatedAt = r.UpdatedAt.UTC()
	}
	return a
}

// head is the account's newest entry as credit.Chain needs it, or nil when there is none.
func head(r creditAccountRow) *credit.Entry {
	if r.LastSeq == 0 {
		return nil
	}
	return &credit.Entry{WorkerID: r.WorkerID, Seq: r.LastSeq, BalanceAfter: credit.Tenths(r.Balance), Hash: r.LastHash}
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

var errNoTx = errors.New("credit ledger: called outside a transaction (use DB.WithTx)")

// requireTx refuses a ledger write, or a read that feeds one, outside a transaction.
func requireTx(ctx context.Context) error {
	if !InTx(ctx) {
		return errs.Internal(errNoTx, "ledger write outside a transaction")
	}
	return nil
}

// LockAccounts creates the accounts of workerIDs that do not exist yet and locks all of them
// until the caller's transaction ends (it must run inside one). It inserts the missing rows
// with one multi-row insert-if-absent and reads the accounts with one locking SELECT, both in
// ascending worker id order, so that transactions locking overlapping sets of workers queue
// instead of deadlocking. The locking read sees the latest committed state, whatever snapshot
// the transaction holds.
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
	now := s.db.gorm.NowFunc().UTC()
	fresh := make([]creditAccountRow, len(ids))
	for i, id := range ids {
		fresh[i] = creditAccountRow{WorkerID: id, UpdatedAt: now}
	}
	// MySQL: ON DUPLICATE KEY UPDATE worker_id = worker_id, which takes the row's exclusive
	// lock at once (INSERT IGNORE would take a shared one, and two of them upgrading deadlock).
	if err := s.db.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&fresh, ledgerBatch).Error; err != nil {
		return nil, translate(err)
	}
	out := make(map[string]*creditAccountRow, len(ids))
	for chunk := range slices.Chunk(ids, ledgerBatch) {
		var got []creditAccountRow
		q := s.db.conn(ctx).Where("worker_id IN ?", chunk).Order("worker_id")
		if s.db.dialect == MySQL {
			q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
		}
		if err := q.Find(&got).Error; err != nil {
			return nil, translate(err)
		}
		for i := range got {
			out[got[i].WorkerID] = &got[i]
		}
	}
	if len(out) != len(ids) {
		return nil, errs.Internal(errors.New("credit ledger: an account row vanished while locking"), "database error")
	}
	return out, nil
}

// Append stores the non-zero postings as entries, in order, chained after each worker's
// newest entry, inside the caller's transaction (errs.Internal without one): it locks the
// postings' accounts (LockAccounts), inserts every entry with multi-row INSERTs and writes
// the accounts' new heads and totals with multi-row upserts — a handful of statements however
// many postings. It returns the stored entries in the postings' order; a posting that fails
// credit.Posting.Check fails the whole call before anything is written.
func (s *LedgerStore) Append(ctx context.Context, postings []credit.Posting) ([]credit.Entry, error) {
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
	if len(keep) == 0 {
		return nil, nil
	}
	accounts, err := s.lock(ctx, workers)
	if err != nil {
		return nil, err
	}

	entries := make([]credit.Entry, len(keep))
	entryRows := make([]creditEntryRow, len(keep))
	heads := make(map[string]*credit.Entry, len(accounts))
	totals := make(map[string]credit.Account, len(accounts))
	for id, r := range accounts {
		heads[id] = head(*r)
		totals[id] = toAccount(*r)
	}
	for i, p := range keep {
		entries[i] = credit.Chain(heads[p.WorkerID], credit.Entry{
			WorkerID: p.WorkerID, Kind: p.Kind, Amount: p.Amount, RuleVersion: p.RuleVersion,
			SourceType: p.SourceType, SourceID: p.SourceID, OccupationCode: p.OccupationCode, CreatedAt: p.CreatedAt,
		})
		heads[p.WorkerID] = &entries[i]
		totals[p.WorkerID] = totals[p.WorkerID].Add(entries[i])
		entryRows[i] = toEntryRow(entries[i])
	}
	if err := s.db.conn(ctx).CreateInBatches(&entryRows, ledgerBatch).Error; err != nil {
		return nil, translate(err)
	}

	touched := slices.Sorted(maps.Keys(totals)) // every locked account got an entry
	accountRows := make([]creditAccountRow, len(touched))
	for i, id := range touched {
		a := totals[id]
		accountRows[i] = creditAccountRow{
			WorkerID: id, LastSeq: a.LastSeq, Balance: int64(a.Balance), Earned: int64(a.Earned),
			Converted: int64(a.Converted), Reversed: int64(a.Reversed), LastHash: heads[id].Hash, UpdatedAt: a.UpdatedAt,
		}
	}
	upsert := clause.OnConflict{
		Columns:   []clause.Column{{Name: "worker_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_seq", "balance", "earned", "converted", "reversed", "last_hash", "updated_at"}),
	}
	if err := s.db.conn(ctx).Clauses(upsert).CreateInBatches(&accountRows, ledgerBatch).Error; err != nil {
		return nil, translate(err)
	}
	return entries, nil
}

// Account returns the worker's account, or the zero account when there is none.
func (s *LedgerStore) Account(ctx context.Context, workerID string) (credit.Account, error) {
	var rows []creditAccountRow
	if err := s.db.conn(ctx).Where("worker_id = ?", workerID).Limit(1).Find(&rows).Error; err != nil {
		return credit.Account{}, translate(err)
	}
	if len(rows) == 0 {
		return credit.Account{WorkerID: workerID}, nil
	}
	return toAccount(rows[0]), nil
}

// EntriesPage returns up to limit (≥ 1) of the worker's entries with seq below beforeSeq (0 =
// from the newest), newest first. Ask for one more than the page to learn whether another
// page follows.
func (s *LedgerStore) EntriesPage(ctx context.Context, workerID string, beforeSeq int64, limit int) ([]credit.Entry, error) {
	if limit < 1 {
		return nil, errs.Internal(errors.New("credit ledger: EntriesPage limit below 1"), "invalid page")
	}
	q := s.db.conn(ctx).Where("worker_id = ?", workerID)
	if beforeSeq > 0 {
		q = q.Where("seq < ?", beforeSeq)
	}
	var rows []creditEntryRow
	if err := q.Order("seq DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return fromEntryRows(rows), nil
}

// AllEntries returns the worker's whole ledger in seq order (for credit.Verify).
func (s *LedgerStore) AllEntries(ctx context.Context, workerID string) ([]credit.Entry, error) {
	var rows []creditEntryRow
	if err := s.db.conn(ctx).Where("worker_id = ?", workerID).Order("seq").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return fromEntryRows(rows), nil
}

// SourceEntries returns the entries caused by one source object, by worker and seq. It reads
// the transaction's snapshot (or the latest data outside one); to post the reversal of a
// source, use SourceSum, which reads under the lock.
func (s *LedgerStore) SourceEntries(ctx context.Context, sourceType, sourceID string) ([]credit.Entry, error) {
	var rows []creditEntryRow
	err := s.db.conn(ctx).Where("source_type = ? AND source_id = ?", sourceType, sourceID).
		Order("worker_id, seq").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	return fromEntryRows(rows), nil
}
