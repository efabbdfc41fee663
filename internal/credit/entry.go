package credit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// Entry kinds.
const (
	KindTraining          = "training"           // a passed (or failed) training record earns credits
	KindTrainingVoid      = "training_void"      // a voided record's credits reversed
	KindCertificate       = "certificate"        // an issued certificate (a by-level difference, or a fixed amount)
	KindCertificateRevoke = "certificate_revoke" // a revocation's compensating entry
	KindConversion        = "conversion"         // a college's conversion into academic credits (a debit)
)

// Entry is one line of a worker's append-only credit ledger (技能学分账户). Entries are numbered
// 1, 2, … per worker (Seq); each carries the balance after it and a SHA-256 hash over the
// previous entry's hash and its own content, so that changing, removing or reordering any
// entry but the last is detectable (Verify). Corrections are new entries, never edits: a void
// or revocation appends a compensating entry, even if the balance goes below zero.
type Entry struct {
	WorkerID       string // the worker's opaque id (never the SSN)
	Seq            int64  // 1, 2, … per worker
	Kind           string // one of the Kind constants
	Amount         Tenths // positive earns, negative reverses or debits
	BalanceAfter   Tenths // the previous entry's BalanceAfter + Amount
	RuleVersion    string // Rules.Version that computed Amount ("" for conversions)
	SourceType     string // what caused the entry, e.g. "training", "certificate", "conversion"
	SourceID       string // the id of that object
	OccupationCode string // the occupation of a certificate entry; "" otherwise
	CreatedAt      time.Time
	PrevHash       []byte // the previous entry's Hash; empty for Seq 1
	Hash           []byte // ComputeHash(PrevHash)
}

// hashDomain separates this hash from any other SHA-256 use and names the encoding version.
const hashDomain = "skillrecord/credit-entry/v1"

// ComputeHash returns SHA-256 over prev and a canonical encoding of e's content: a domain tag,
// then prev, WorkerID, Seq, Kind, Amount, BalanceAfter, RuleVersion, SourceType, SourceID,
// OccupationCode and CreatedAt (UTC unix microseconds), each byte string preceded by its length
// and each integer as 8 big-endian bytes, so that no two different entries encode alike.
// e.PrevHash and e.Hash themselves are not read.
func (e Entry) ComputeHash(prev []byte) []byte {
	var stack [256]byte
	b := stack[:0]
	b = appendBytes(b, hashDomain)
	b = appendBytes(b, prev)
	b = appendBytes(b, e.WorkerID)
	b = appendInt64(b, e.Seq)
	b = appendBytes(b, e.Kind)
	b = appendInt64(b, int64(e.Amount))
	b = appendInt64(b, int64(e.BalanceAfter))
	b = appendBytes(b, e.RuleVersion)
	b = appendBytes(b, e.SourceType)
	b = appendBytes(b, e.SourceID)
	b = appendBytes(b, e.OccupationCode)
	b = appendInt64(b, e.CreatedAt.UTC().UnixMicro())
	sum := sha256.Sum256(b)
	return sum[:]
}

// appendInt64 appends v as 8 big-endian bytes of its two's-complement form.
func appendInt64(b []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(v)) //nolint:gosec // the bit pattern is wanted, not the value
}

func appendBytes[T string | []byte](b []byte, s T) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// Chain returns next as the entry after prev (nil for a worker's first entry): Seq is
// prev.Seq+1 (or 1), BalanceAfter is prev.BalanceAfter+Amount (or Amount), PrevHash is a copy
// of prev.Hash (or empty), an empty WorkerID is taken from prev, CreatedAt is normalised to UTC
// at microsecond precision (what storage keeps and the hash covers), and Hash is computed. The
// caller sets WorkerID, Kind, Amount, RuleVersion, SourceType, SourceID, OccupationCode and
// CreatedAt, and must pass the worker's current last entry, read under the same lock or
// transaction that appends next.
func Chain(prev *Entry, next Entry) Entry {
	next.Seq, next.BalanceAfter, next.PrevHash = 1, next.Amount, nil
	if prev != nil {
		next.Seq = prev.Seq + 1
		next.BalanceAfter = prev.BalanceAfter + next.Amount
		next.PrevHash = bytes.Clone(prev.Hash)
		if next.WorkerID == "" {
			next.WorkerID = prev.WorkerID
		}
	}
	next.CreatedAt = next.CreatedAt.UTC().Truncate(time.Microsecond)
	next.Hash = next.ComputeHash(next.PrevHash)
	return next
}

// Verify checks a worker's whole ledger, entries in Seq order: Seq runs 1, 2, … without gaps,
// every entry belongs to the first entry's worker, PrevHash is the previous entry's Hash (empty
// for the first), BalanceAfter is the previous balance plus Amount, and Hash matches the
// content. It returns (0, true) for an intact ledger (an empty one included), or the first
// position (seq) at which the chain breaks and false: a changed entry at its own seq, a
// removed entry at the seq that is missing, swapped entries at the first of them.
//
// The chain detects edits, removals and reorderings of any entry but the last. Removing the
// newest entries, or rewriting the whole tail with recomputed hashes, needs an outside anchor
// (e.g. the head hash recorded in the audit log) to be noticed.
func Verify(entries []Entry) (firstBadSeq int64, ok bool) {
	var prevHash []byte
	var balance Tenths
	for i := range entries {
		e := &entries[i]
		seq := int64(i) + 1
		if e.Seq != seq ||
			e.WorkerID != entries[0].WorkerID ||
			!bytes.Equal(e.PrevHash, prevHash) ||
			e.BalanceAfter != balance+e.Amount ||
			!bytes.Equal(e.Hash, e.ComputeHash(prevHash)) {
			return seq, false
		}
		prevHash, balance = e.Hash, e.BalanceAfter
	}
	return 0, true
}
