// Package fund holds the training funds (资金拨付): the three fund sources kept apart
// (就业补助资金, 失业保险基金, 职业技能提升行动专账), their budgets per calendar year, and the
// funds ledger — one append-only chain of entries (budget changes, disbursements, reversals
// owed), each with the previous entry's hash, hashed like the credit ledger, so that an edit,
// a removal or a reordering is detectable (Verify).
//
// entry.go and fund.go are types and rules only: no clock, no storage, no HTTP. service.go is
// the bureau's use cases (budgets, the per-source figures, the entries, the chain check)
// through the Store it declares. The disbursement of a claim itself is a claim use case
// (package claim) that appends here through the same Store inside its transaction. No file of
// this package may know about HTTP, SQL or the cache (no gin, gorm or go-redis).
package fund
