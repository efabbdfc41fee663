-- The audit trail (操作审计) and the access log (个人信息查阅记录). Both are append-only: the
-- application only ever INSERTs and SELECTs these tables, and in production its database user
-- is granted nothing else on them (deploy/README.md, "Append-only audit tables").
--
-- audit_events: one row per write and per admin action. actor_id is an opaque principal id
-- or 'anonymous'; target holds the route's path parameters (never an SSN or a token); status
-- and code are the answer's HTTP status and problem code. The workers an event touched are in
-- audit_event_workers, for the worker filter.
--
-- access_events: one row per read of a worker's data by someone else. why_enc is the purpose
-- (an admin's free-text reason, a share id, a certificate number) sealed with the data key,
-- because a typed reason can hold personal data.
--
-- AUTO_ID_CACHE=1 (a TiDB comment, ignored by MySQL and MariaDB) keeps TiDB's ids increasing
-- across instances, so that id order is time order for "newest first".
-- +goose Up
CREATE TABLE audit_events (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    at         DATETIME(6)  NOT NULL,
    actor_id   VARCHAR(64)  NOT NULL,
    actor_role VARCHAR(32)  NOT NULL,
    org_id     VARCHAR(36)  NOT NULL DEFAULT '',
    action     VARCHAR(64)  NOT NULL,
    target     VARCHAR(255) NOT NULL DEFAULT '',
    request_id VARCHAR(64)  NOT NULL DEFAULT '',
    client_ip  VARCHAR(45)  NOT NULL DEFAULT '',
    status     SMALLINT     NOT NULL,
    code       VARCHAR(64)  NOT NULL DEFAULT '',
    PRIMARY KEY (id),
    KEY idx_audit_events_actor (actor_id, id),
    KEY idx_audit_events_action (action, id),
    KEY idx_audit_events_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;

CREATE TABLE audit_event_workers (
    event_id  BIGINT      NOT NULL,
    worker_id VARCHAR(36) NOT NULL,
    PRIMARY KEY (event_id, worker_id),
    KEY idx_audit_event_workers_worker (worker_id, event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE access_events (
    id         BIGINT          NOT NULL AUTO_INCREMENT,
    worker_id  VARCHAR(36)     NOT NULL,
    actor_id   VARCHAR(64)     NOT NULL,
    actor_role VARCHAR(32)     NOT NULL,
    org_id     VARCHAR(36)     NOT NULL DEFAULT '',
    what       VARCHAR(32)     NOT NULL,
    why_enc    VARBINARY(2200) NULL,
    request_id VARCHAR(64)     NOT NULL DEFAULT '',
    at         DATETIME(6)     NOT NULL,
    PRIMARY KEY (id),
    KEY idx_access_events_worker (worker_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;

-- +goose Down
DROP TABLE access_events;
DROP TABLE audit_event_workers;
DROP TABLE audit_events;
