-- The skill-credit ledger (技能学分账户): one append-only chain of entries per worker and one
-- account row per worker that holds the chain's head and running totals. All amounts are
-- integer tenths of a credit. See mysql/00004_credit_ledger.sql for what the account's totals
-- mean; the two files describe the same schema.
-- +goose Up
CREATE TABLE credit_accounts (
    worker_id  TEXT     NOT NULL PRIMARY KEY,
    last_seq   INTEGER  NOT NULL DEFAULT 0,
    balance    INTEGER  NOT NULL DEFAULT 0,
    earned     INTEGER  NOT NULL DEFAULT 0,
    converted  INTEGER  NOT NULL DEFAULT 0,
    reversed   INTEGER  NOT NULL DEFAULT 0,
    last_hash  BLOB     NULL,
    updated_at DATETIME NOT NULL
);

CREATE TABLE credit_entries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    worker_id       TEXT     NOT NULL,
    seq             INTEGER  NOT NULL,
    kind            TEXT     NOT NULL,
    amount          INTEGER  NOT NULL,
    balance_after   INTEGER  NOT NULL,
    rule_version    TEXT     NOT NULL DEFAULT '',
    source_type     TEXT     NOT NULL,
    source_id       TEXT     NOT NULL,
    occupation_code TEXT     NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    prev_hash       BLOB     NULL,
    hash            BLOB     NOT NULL
);
CREATE UNIQUE INDEX uk_credit_entries_worker_seq ON credit_entries (worker_id, seq);
CREATE INDEX idx_credit_entries_worker_occupation ON credit_entries (worker_id, occupation_code);
CREATE INDEX idx_credit_entries_source ON credit_entries (source_type, source_id);

-- +goose Down
DROP TABLE credit_entries;
DROP TABLE credit_accounts;
