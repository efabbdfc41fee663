-- The cardholder registry (持卡人员基础信息库) and worker accounts: one row per SSN in workers,
-- every social security card a worker has held in worker_cards. Personal data is never stored
-- in clear: *_enc columns hold AES-256-GCM sealed values (package pii; the key id is inside the
-- value) and *_index columns an HMAC-SHA256 blind index for equality lookups.
-- +goose Up
CREATE TABLE workers (
    id            CHAR(36)       NOT NULL,
    ssn_index     BINARY(32)     NOT NULL,
    ssn_enc       VARBINARY(128) NOT NULL,
    name_index    BINARY(32)     NOT NULL,
    name_enc      VARBINARY(512) NOT NULL,
    password_hash VARCHAR(255)   NULL,
    activated_at  DATETIME(6)    NULL,
    created_at    DATETIME(6)    NOT NULL,
    updated_at    DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_workers_ssn_index (ssn_index)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE worker_cards (
    id         CHAR(36)       NOT NULL,
    worker_id  CHAR(36)       NOT NULL,
    card_index BINARY(32)     NOT NULL,
    card_enc   VARBINARY(128) NOT NULL,
    issue_area CHAR(6)        NOT NULL,
    status     VARCHAR(16)    NOT NULL,
    issued_on  DATE           NULL,
    created_at DATETIME(6)    NOT NULL,
    updated_at DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_worker_cards_card_index (card_index),
    KEY idx_worker_cards_worker_id (worker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE worker_cards;
DROP TABLE workers;
