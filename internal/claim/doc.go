// Package claim holds subsidy claims (补贴申领): an institution's claim for the subsidy of a
// completed class, one line per trainee with whether the subsidy is due and, if not, why
// (eligibility.go); the bureau's review, which may lower a line and publishes a public notice
// (公示) of an approved claim; the objections anyone may raise while the notice runs; and the
// claim's states, one table of allowed transitions (state.go).
//
// The rules (claim.go, state.go, eligibility.go) are types and rules only: no clock ("now" is
// the Service's injected Now), no storage and no HTTP. The use cases sit in service*.go and
// write through the Store interface they declare, each change in one Store.WithTx, which also
// commits the request's audit event.
//
// A line names its trainee by the registry's opaque worker id; the SSN and name read back for
// an answer come from the registry and are masked by the HTTP converter, and a public notice
// carries the masked name alone. No file of this package may know about HTTP, SQL, the cache
// or encryption (no gin, gorm or go-redis).
package claim
