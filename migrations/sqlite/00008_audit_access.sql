-- The audit trail and the access log, append-only. See mysql/00008_audit_access.sql for what
-- each column holds; the two files describe the same schema.
-- +goose Up
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         DATETIME NOT NULL,
    actor_id   TEXT     NOT NULL,
    actor_role TEXT     NOT NULL,
    org_id     TEXT     NOT NULL DEFAULT '',
    action     TEXT     NOT NULL,
    target     TEXT     NOT NULL DEFAULT '',
    request_id TEXT     NOT NULL DEFAULT '',
    client_ip  TEXT     NOT NULL DEFAULT '',
    status     INTEGER  NOT NULL,
    code       TEXT     NOT NULL DEFAULT ''
);
CREATE INDEX idx_audit_events_actor ON audit_events (actor_id, id);
CREATE INDEX idx_audit_events_action ON audit_events (action, id);
CREATE INDEX idx_audit_events_at ON audit_events (at);

CREATE TABLE audit_event_workers (
    event_id  INTEGER NOT NULL,
    worker_id TEXT    NOT NULL,
    PRIMARY KEY (event_id, worker_id)
);
CREATE INDEX idx_audit_event_workers_worker ON audit_event_workers (worker_id, event_id);

CREATE TABLE access_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    worker_id  TEXT     NOT NULL,
    actor_id   TEXT     NOT NULL,
    actor_role TEXT     NOT NULL,
    org_id     TEXT     NOT NULL DEFAULT '',
    what       TEXT     NOT NULL,
    why_enc    BLOB     NULL,
    request_id TEXT     NOT NULL DEFAULT '',
    at         DATETIME NOT NULL
);
CREATE INDEX idx_access_events_worker ON access_events (worker_id, id);

-- +goose Down
DROP TABLE access_events;
DROP TABLE audit_event_workers;
DROP TABLE audit_events;
