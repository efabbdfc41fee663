// Package credit holds the skill-credit (技能学分) rules and ledger of skillrecord: the amount
// type Tenths (integer tenths of a credit), the versioned rules of configs/credit-rules.yaml
// (Rules: what a training record or a certificate earns, and the highest-level-per-occupation
// rule), the ledger Entry with its hash chain (Chain, Verify), and a college's Conversion of
// credits into academic credits (CanDebit).
//
// It computes amounts and checks chains; it does not decide when to post them. The service
// layer reads a worker's last entry and certificates under a lock, asks this package for the
// amounts and the next entry, and stores the result in the same transaction.
//
// This package is types and rules only. It must not know about HTTP, SQL, the cache or
// encryption (no gin, gorm or go-redis), nor about workers' personal data: a ledger entry names
// its worker by an opaque id, never by SSN or name. It has no global mutable state and reads no
// clock: entry times are set by the caller.
package credit
