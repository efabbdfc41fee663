-- The cardholder registry (持卡人员基础信息库) and worker accounts: one row per SSN in workers,
-- every social security card a worker has held in worker_cards. Personal data is never stored
-- in clear: *_enc columns hold AES-256-GCM sealed values (package pii; the key id is inside the
-- value) and *_index columns an HMAC-SHA256 blind index for equality lookups.
-- +goose Up
CREATE TABLE workers (
    id            TEXT     NOT NULL PRIMARY KEY,
    ssn_index     BLOB     NOT NULL,
    ssn_enc       BLOB     NOT NULL,
    name_index    BLOB     NOT NULL,
    name_enc      BLOB     NOT NULL,
    password_hash TEXT     NULL,
    activated_at  DATETIME NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_workers_ssn_index ON workers (ssn_index);

CREATE TABLE worker_cards (
    id         TEXT     NOT NULL PRIMARY KEY,
    worker_id  TEXT     NOT NULL,
    card_index BLOB     NOT NULL,
    card_enc   BLOB     NOT NULL,
    issue_area TEXT     NOT NULL,
    status     TEXT     NOT NULL,
    issued_on  DATE     NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_worker_cards_card_index ON worker_cards (card_index);
CREATE INDEX idx_worker_cards_worker_id ON worker_cards (worker_id);

-- +goose Down
DROP TABLE worker_cards;
DROP TABLE workers;
