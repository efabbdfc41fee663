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
// AdminAccess holds the bureau's audited look-ups of a worker by SSN (the full record, the
// ledger check): each needs a reason or states its purpose, and leaves an access event the
// worker can see (package access) besides the audit event.
//
// This package must not know HTTP, SQL or Redis (no gin, gorm or go-redis), and an Event must
// never hold personal data: no SSN, name, card number, token or request body.
package audit
