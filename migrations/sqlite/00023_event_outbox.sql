-- event_outbox: the change events other systems read (see the MySQL migration of the same
-- version). SQLite runs one writer at a time, so ids are in commit order without the lock row.
-- +goose Up
CREATE TABLE event_outbox (
    id         INTEGER  NOT NULL PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT     NOT NULL UNIQUE,
    kind       TEXT     NOT NULL,
    at         DATETIME NOT NULL,
    worker_ref TEXT     NOT NULL DEFAULT '',
    org_id     TEXT     NOT NULL DEFAULT '',
    subject_id TEXT     NOT NULL,
    data       TEXT     NOT NULL,
    sent_at    DATETIME NULL
);
CREATE INDEX idx_event_outbox_unsent ON event_outbox (sent_at, id);
CREATE INDEX idx_event_outbox_kind ON event_outbox (kind, id);

-- +goose Down
DROP TABLE event_outbox;
