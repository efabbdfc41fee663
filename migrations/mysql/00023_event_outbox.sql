-- event_outbox: the change events other systems read (package event), written in the same
-- transaction as the change they describe. id is the outbox order: the relay publishes unsent
-- rows to NATS JetStream in id order and the pull feed pages by it. Every transaction that
-- writes events first updates the one row of event_outbox_order (a write, so that Galera
-- certifies it across nodes and TiDB locks it) and holds it until its commit, so ids are taken
-- in commit order: a reader that has seen id n will never later see a
-- smaller id appear (the feed's cursor cannot skip an event). On TiDB AUTO_ID_CACHE=1 keeps
-- the ids increasing across TiDB servers (the comment form is ignored by MySQL and MariaDB).
-- event_id is the event's UUID, the JetStream message id (Nats-Msg-Id) that de-duplicates a
-- re-send. worker_ref is the worker's opaque id, never an SSN; data is the event's JSON data.
-- sent_at is set once JetStream has acknowledged the row.
-- +goose Up
CREATE TABLE event_outbox (
    id         BIGINT      NOT NULL AUTO_INCREMENT,
    event_id   CHAR(36)    NOT NULL,
    kind       VARCHAR(64) NOT NULL,
    at         DATETIME(6) NOT NULL,
    worker_ref VARCHAR(36) NOT NULL DEFAULT '',
    org_id     VARCHAR(36) NOT NULL DEFAULT '',
    subject_id VARCHAR(64) NOT NULL,
    data       TEXT        NOT NULL,
    sent_at    DATETIME(6) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_event_outbox_event (event_id),
    KEY idx_event_outbox_unsent (sent_at, id),
    KEY idx_event_outbox_kind (kind, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;

CREATE TABLE event_outbox_order (
    id      TINYINT NOT NULL,
    commits BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO event_outbox_order (id, commits) VALUES (1, 0);

-- +goose Down
DROP TABLE event_outbox_order;
DROP TABLE event_outbox;
