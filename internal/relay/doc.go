// Package relay publishes the event outbox to NATS JetStream: one Relay at a time across all
// instances (it holds a lease in the database while it runs), reading the unsent rows in
// outbox order, publishing each on subject "skillrecord.<kind>" with the event's JSON as the
// body and its id as the message id (Nats-Msg-Id, so that JetStream drops a re-send within
// the stream's duplicate window), and marking rows sent only after JetStream acknowledged
// them, with one UPDATE per batch.
//
// Nothing is lost: a row is unsent until acknowledged, so a relay that crashes between the
// publish and the mark leaves rows that the next holder of the lease (this instance after a
// restart, or another one once the lease expires) publishes again, and JetStream drops the
// copies. While NATS is unreachable the relay waits and retries; rows pile up in the outbox.
//
// It knows the outbox only through the small Outbox interface and the lease through Leaser;
// it must not know HTTP or SQL.
package relay
