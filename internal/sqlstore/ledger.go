package sqlstore

import (
	"context"
	"errors"
	"time"

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

// ledgerBatch is the number of rows per multi-row INSERT, and of ids per IN list: a batch of
// a thousand postings is one statement of each kind.
const ledgerBatch = 1000

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
	WorkerID       string `gorm:"primaryKey"`
	Seq            int64  `gorm:"primaryKey"`
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

// accountRow is the row of account a whose newest entry has hash lastHash (toAccount's
// inverse): as stored, its time in UTC to the microsecond.
func accountRow(a credit.Account, lastHash []byte) creditAccountRow {
	return creditAccountRow{WorkerID: a.WorkerID, LastSeq: a.LastSeq, Balance: int64(a.Balance), Earned: int64(a.Earned),
		Converted: int64(a.Converted), Reversed: int64(a.Reversed), LastHash: lastHash, UpdatedAt: a.UpdatedAt.UTC().Truncate(time.Microsecond)}
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
// source, use SourceSum, which reads under the lock. No index serves it (migration 00011):
// it is an operator's read over the whole ledger, which no request makes.
func (s *LedgerStore) SourceEntries(ctx context.Context, sourceType, sourceID string) ([]credit.Entry, error) {
	var rows []creditEntryRow
	err := s.db.conn(ctx).Where("source_type = ? AND source_id = ?", sourceType, sourceID).
		Order("worker_id, seq").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	return fromEntryRows(rows), nil
}
