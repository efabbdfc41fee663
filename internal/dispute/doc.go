// Package dispute holds workers' disputes (异议申诉) of a training record or a subsidy claim
// line in their name: a worker raises one, the institution sees those about its records, and
// the bureau resolves them. An upheld dispute voids the training record and its credits
// (through the training-record void path) and holds the subsidy line, or, if the line was paid
// already, records a reversal owed in the funds ledger.
//
// dispute.go is types and rules only; service.go is the use cases, through the Store and the
// consequence interfaces it declares, each change in one Store.WithTx with the request's audit
// event. No file of this package may know about HTTP, SQL or the cache (no gin, gorm or
// go-redis).
package dispute
