// Package audit is skillrecord's audit trail (操作审计) and its audited admin access.
//
// Every write and every admin action appends an Event: who acted (an opaque principal id and
// role, or anonymous), what they did (a stable action word), on what (the route's path
// parameters and the workers the request touched), with which outcome (status and problem
// code), from where (client IP) and when. Events are append-only: Store has no method that
// changes or removes one, and no route or code path does either.
//
// Handlers and services announce the workers a request touched with Touch; the HTTP
// middleware that records the event puts a Collector into the request context for them.
//
// A write commits its audit event in its own transaction. The one call a write use case makes
// is sqlstore's WithTx, with its writes and its Touch calls inside:
//
//	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
//		audit.Touch(ctx, workerID)              // whose data this write changes
//		return s.Store.CreateThing(ctx, thing) // the write (and its ledger entries)
//	})
//
// The middleware prepares the request's event before the request runs (Collector.Prepare);
// the outermost WithTx of the request takes it (PendingIn) and inserts it, with the workers
// touched so far, just before its commit. A failed insert rolls the write back and fails the
// request; a transaction that rolls back (or is retried after a deadlock) leaves the event to
// the next one, so it is stored exactly once. Such an event records the operation's success
// status (201 for a creation, else the contract's 2xx) and no code. The middleware records
// after the request only what no transaction committed: refusals (401, 403, 409, 413, 422, …),
// failures, reads and writes without a transaction; and, besides the committed event, the
// failure of a request that failed after its event was committed (an import whose later chunk
// failed: its first chunk commits alone, carrying the event). Work shared by several requests
// runs under WithoutEvent. A store method that is a whole write by itself (a share, an
// activation, an API client) runs its own WithTx, so a single statement carries the event too.
//
// AdminAccess holds the bureau's audited look-ups of a worker by SSN (the full record, the
// ledger check): each needs a reason or states its purpose, and leaves an access event the
// worker can see (package access) besides the audit event.
//
// This package must not know HTTP, SQL or Redis (no gin, gorm or go-redis), and an Event must
// never hold personal data: no SSN, name, card number, token or request body.
package audit
