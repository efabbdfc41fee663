-- event_outbox rows that hold several events (a bundle): see the MySQL migration of the same
-- version. events is the number of events in the row (1 for every row before it).
-- +goose Up
ALTER TABLE event_outbox ADD COLUMN events INTEGER NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE event_outbox DROP COLUMN events;
