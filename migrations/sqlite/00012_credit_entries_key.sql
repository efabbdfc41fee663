-- (worker_id, seq) becomes credit_entries' primary key and the surrogate id goes; see
-- mysql/00012_credit_entries_key.sql. SQLite cannot change a primary key in place: the table
-- is copied into its new form.
-- +goose Up
CREATE TABLE credit_entries_new (
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
    hash            BLOB     NOT NULL,
    PRIMARY KEY (worker_id, seq)
) WITHOUT ROWID;
INSERT INTO credit_entries_new (worker_id, seq, kind, amount, balance_after, rule_version, source_type,
    source_id, occupation_code, created_at, prev_hash, hash)
SELECT worker_id, seq, kind, amount, balance_after, rule_version, source_type,
    source_id, occupation_code, created_at, prev_hash, hash FROM credit_entries;
DROP TABLE credit_entries;
ALTER TABLE credit_entries_new RENAME TO credit_entries;

-- +goose Down
CREATE TABLE credit_entries_old (
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
INSERT INTO credit_entries_old (worker_id, seq, kind, amount, balance_after, rule_version, source_type,
    source_id, occupation_code, created_at, prev_hash, hash)
SELECT worker_id, seq, kind, amount, balance_after, rule_version, source_type,
    source_id, occupation_code, created_at, prev_hash, hash FROM credit_entries ORDER BY worker_id, seq;
DROP TABLE credit_entries;
ALTER TABLE credit_entries_old RENAME TO credit_entries;
CREATE UNIQUE INDEX uk_credit_entries_worker_seq ON credit_entries (worker_id, seq);
