package fund

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// Entry kinds.
const (
	KindBudget       = "budget"        // a budget set or changed: Amount is the change
	KindDisbursement = "disbursement"  // a claim paid: Amount is what was paid
	KindReversalOwed = "reversal_owed" // a paid line found undue: Amount is what is owed back
)

// Entry is one line of the funds ledger. Entries are numbered 1, 2, … over all sources (Seq);
// each carries a SHA-256 hash over the previous entry's hash and its own content.
type Entry struct {
	Seq       int64
	Source    string
	Year      int
	Kind      string
	Amount    Cents
	ClaimID   string
	LineID    string
	Reference string
	Payee     string
	CreatedAt time.Time
	PrevHash  []byte // the previous entry's Hash; empty for Seq 1
	Hash      []byte
}

// hashDomain separates this hash from any other SHA-256 use and names the encoding version.
const hashDomain = "skillrecord/fund-entry/v1"

// ComputeHash returns SHA-256 over a domain tag, prev and a canonical encoding of e's content
// (each byte string preceded by its length, each integer as 8 big-endian bytes, CreatedAt as
// UTC unix microseconds), the credit ledger's encoding.
func (e Entry) ComputeHash(prev []byte) []byte {
	var stack [256]byte
	b := stack[:0]
	b = appendBytes(b, hashDomain)
	b = appendBytes(b, prev)
	b = appendInt64(b, e.Seq)
	b = appendBytes(b, e.Source)
	b = appendInt64(b, int64(e.Year))
	b = appendBytes(b, e.Kind)
	b = appendInt64(b, int64(e.Amount))
	b = appendBytes(b, e.ClaimID)
	b = appendBytes(b, e.LineID)
	b = appendBytes(b, e.Reference)
	b = appendBytes(b, e.Payee)
	b = appendInt64(b, e.CreatedAt.UTC().UnixMicro())
	sum := sha256.Sum256(b)
	return sum[:]
}

func appendInt64(b []byte, v int64) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(v)) //nolint:gosec // the bit pattern is wanted, not the value
}

func appendBytes[T string | []byte](b []byte, s T) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// Chain returns next as the entry after the head (seq 0 and no hash for an empty ledger):
// Seq is seq+1, PrevHash a copy of hash, CreatedAt normalised to UTC microseconds, and Hash
// computed. The caller passes the head read under the lock that appends next.
func Chain(seq int64, hash []byte, next Entry) Entry {
	next.Seq, next.PrevHash = seq+1, bytes.Clone(hash)
	next.CreatedAt = next.CreatedAt.UTC().Truncate(time.Microsecond)
	next.Hash = next.ComputeHash(next.PrevHash)
	return next
}

// Verify checks the whole ledger, entries in Seq order: Seq runs 1, 2, … without gaps,
// PrevHash is the previous entry's Hash (empty for the first) and Hash matches the content.
// It returns (0, true) for an intact ledger, or the first seq at which the chain breaks.
func Verify(entries []Entry) (firstBadSeq int64, ok bool) {
	var prev []byte
	for i := range entries {
		e := &entries[i]
		seq := int64(i) + 1
		if e.Seq != seq || !bytes.Equal(e.PrevHash, prev) || !bytes.Equal(e.Hash, e.ComputeHash(prev)) {
			return seq, false
		}
		prev = e.Hash
	}
	return 0, true
}
