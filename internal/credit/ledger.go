package credit

import (
	"context"
	"fmt"
	"time"

	"skillrecord/internal/errs"
)

// Source types: what caused a ledger entry (Entry.SourceType).
const (
	SourceTraining    = "training"    // a training record, by its id
	SourceCertificate = "certificate" // a certificate, by its number
	SourceConversion  = "conversion"  // a college's conversion, by its id
)

// Posting is one ledger entry to append, before the ledger numbers and chains it: the ledger
// sets Seq, BalanceAfter, PrevHash and Hash (see Chain).
type Posting struct {
	WorkerID       string // the worker's opaque id
	Kind           string // one of the Kind constants
	Amount         Tenths // a posting of 0 writes nothing
	RuleVersion    string // Rules.Version that computed Amount; "" for conversions
	SourceType     string // one of the Source constants
	SourceID       string // the id of the source object
	OccupationCode string // the occupation of a by-level certificate entry; "" otherwise
	CreatedAt      time.Time
}

// Limits of the stored fields of a posting (the columns of credit_entries).
const (
	maxWorkerID       = 36
	maxRuleVersion    = 32
	maxSourceType     = 32
	maxSourceID       = 64
	maxOccupationCode = 16
)

// Check reports a posting that no caller should build: an empty or over-long worker id or
// source, an over-long field, no CreatedAt, an unknown kind, or an amount whose sign does not
// fit its kind (training and certificate entries earn; voids, revocations and conversions
// take away). A zero amount passes: the ledger skips it. The error is errs.Internal, since
// postings are built by code, never taken from a request.
func (p Posting) Check() error {
	bad := func(format string, args ...any) error {
		return errs.Internal(fmt.Errorf("credit: bad posting: "+format, args...), "invalid ledger posting")
	}
	switch {
	case p.WorkerID == "" || len(p.WorkerID) > maxWorkerID:
		return bad("worker id must be 1 to %d bytes", maxWorkerID)
	case p.SourceType == "" || len(p.SourceType) > maxSourceType:
		return bad("source type must be 1 to %d bytes", maxSourceType)
	case p.SourceID == "" || len(p.SourceID) > maxSourceID:
		return bad("source id must be 1 to %d bytes", maxSourceID)
	case len(p.RuleVersion) > maxRuleVersion:
		return bad("rule version longer than %d bytes", maxRuleVersion)
	case len(p.OccupationCode) > maxOccupationCode:
		return bad("occupation code longer than %d bytes", maxOccupationCode)
	case p.CreatedAt.IsZero():
		return bad("no time")
	}
	switch p.Kind {
	case KindTraining, KindCertificate:
		if p.Amount < 0 {
			return bad("a %s entry cannot be negative", p.Kind)
		}
	case KindTrainingVoid, KindCertificateRevoke, KindConversion:
		if p.Amount > 0 {
			return bad("a %s entry cannot be positive", p.Kind)
		}
	default:
		return bad("unknown kind %q", p.Kind)
	}
	return nil
}

// Account is a worker's ledger summary (the credits part of GET /me/record). Its totals hold
// Balance = Earned − Converted − Reversed at all times:
//   - Earned is the sum of the positive amounts of every kind but conversion;
//   - Converted is the sum of the conversion debits, as a positive number;
//   - Reversed is the sum of the negative amounts of every kind but conversion (training
//     voids, certificate revocations and by-level downgrades), as a positive number.
//
// A worker without entries has the zero Account.
type Account struct {
	WorkerID  string
	Balance   Tenths
	Earned    Tenths
	Converted Tenths
	Reversed  Tenths
	LastSeq   int64     // the seq of the newest entry; 0 when there is none
	UpdatedAt time.Time // when the newest entry was posted; zero when there is none
}

// Add returns a with entry e counted: LastSeq and Balance follow e, and e.Amount is added to
// the total its kind and sign belong to.
func (a Account) Add(e Entry) Account {
	switch {
	case e.Kind == KindConversion:
		a.Converted -= e.Amount
	case e.Amount >= 0:
		a.Earned += e.Amount
	default:
		a.Reversed -= e.Amount
	}
	a.Balance = e.BalanceAfter
	a.LastSeq = e.Seq
	if e.CreatedAt.After(a.UpdatedAt) {
		a.UpdatedAt = e.CreatedAt
	}
	return a
}

// Ledger is the storage a Poster writes through. Every method must be called inside the
// caller's transaction (the context carries it), so that entries commit or roll back with the
// record that causes them.
//
// The lock protocol: a transaction that posts for some workers locks their accounts first, in
// one LockAccounts call that names all of them (or lets Append do it, when the amounts do not
// depend on what was posted before), and reads whatever the amounts depend on only after the
// lock is held. Locks are taken in ascending worker id order, so that transactions locking
// overlapping sets of workers wait for each other instead of deadlocking.
type Ledger interface {
	// LockAccounts creates the accounts that do not exist yet and locks all of them until the
	// transaction ends, returning them by worker id.
	LockAccounts(ctx context.Context, workerIDs ...string) (map[string]Account, error)
	// Append locks the postings' accounts (see LockAccounts), chains the non-zero postings
	// after each worker's newest entry, in order, stores them and updates the accounts. It
	// returns the stored entries in the postings' order.
	Append(ctx context.Context, postings []Posting) ([]Entry, error)
	// PrepareAppend is Append in two steps: it locks the accounts and chains the entries,
	// and the result's Write stores them, in the same transaction, before anything else
	// posts for those workers in it.
	PrepareAppend(ctx context.Context, postings []Posting) (PreparedAppend, error)
	// OccupationSum returns the sum of the worker's certificate and certificate_revoke
	// entries of one occupation: the by-level certificate credits posted for it so far. The
	// caller must hold the worker's lock.
	OccupationSum(ctx context.Context, workerID, occupationCode string) (Tenths, error)
	// SourceSum returns the sum of the worker's entries caused by one source object: what it
	// has earned so far, net of reversals. The caller must hold the worker's lock.
	SourceSum(ctx context.Context, workerID, sourceType, sourceID string) (Tenths, error)
}

// PreparedAppend is an Append whose entries are chained but not yet stored.
type PreparedAppend interface {
	// Entries returns the entries as they will be stored, in the postings' order.
	Entries() []Entry
	// Write stores them and the accounts' new heads.
	Write(ctx context.Context) error
}

// LedgerReader reads workers' ledgers: the worker's own views and chain verification. Its
// reads need no transaction.
type LedgerReader interface {
	// Account returns the worker's account, or the zero Account (with WorkerID set) when the
	// worker has none.
	Account(ctx context.Context, workerID string) (Account, error)
	// EntriesPage returns up to limit of the worker's entries with seq below beforeSeq (0 =
	// from the newest), newest first.
	EntriesPage(ctx context.Context, workerID string, beforeSeq int64, limit int) ([]Entry, error)
	// AllEntries returns the worker's whole ledger in seq order, as Verify wants it.
	AllEntries(ctx context.Context, workerID string) ([]Entry, error)
	// SourceEntries returns the entries caused by one source object, by worker and seq.
	SourceEntries(ctx context.Context, sourceType, sourceID string) ([]Entry, error)
}
