// Package event is skillrecord's change events for the bureau's other systems (信息联通共享):
// every committed change another system cares about (a training posted or voided, a
// certificate issued or revoked, credits posted or converted, a card replaced) leaves an Event
// in an outbox written in the same transaction as the change, and a relay publishes the outbox
// to NATS JetStream in outbox order; systems without a broker read the same events through the
// pull feed.
//
// A write emits its events inside the one WithTx call of its use case, beside its audit.Touch:
//
//	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
//		audit.Touch(ctx, workerID)                 // whose data this write changes
//		if err := s.Store.CreateThing(ctx, thing); err != nil {
//			return err
//		}
//		return event.Emit(ctx, event.Event{Kind: event.KindThing, WorkerRef: workerID, SubjectID: thing.ID})
//	})
//
// Emit only collects: sqlstore's WithTx gives each attempt of an outermost transaction a
// Batch (NewBatch), and, after fn succeeds and just before the commit, inserts what was
// emitted with one multi-row statement, each run of consecutive events of one kind sharing an
// outbox row (a batch of a thousand records emits a thousand training.posted events, stored in
// a handful of rows). Readers get the events one by one, in order, each at its own position. A transaction that rolls back drops its events with it; one retried after a
// deadlock collects them anew. Emit outside a transaction is an internal error: an event must
// never commit apart from its change.
//
// An Event never holds personal data: the worker is named by its opaque id (WorkerRef), never
// by SSN, name or card number, and Data carries ids, codes, dates and amounts only.
//
// This package must not know HTTP, SQL, Redis or NATS (no gin, gorm, go-redis or nats.go).
package event
