-- event_outbox rows that hold several events (a bundle): a transaction that emits a run of
-- consecutive events of one kind (a batch of a thousand records: a thousand training.posted,
-- then a thousand credits.posted) stores each run in rows of up to 60,000 bytes of data (the
-- TEXT column's limit is 65,535) instead of one row per event: 12 rows for such a batch
-- instead of 2,000.
--
-- events is the number of events in the row: 1 for a row of one event (every row written
-- before this migration, and every run of one), as before; more for a bundle, whose data is
-- a JSON array of the events ({id, at, worker_ref, org_id, subject_id, data} each, in order;
-- the kind is the row's) and whose event_id, at, org_id and subject_id are its first event's.
-- An event's position in the outbox is (row id, index in the row); the relay marks a bundle
-- sent once JetStream acknowledged every event of it, and the feed's cursor names the event.
-- +goose Up
ALTER TABLE event_outbox ADD COLUMN events INT NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE event_outbox DROP COLUMN events;
