-- The skill-credit ledger (技能学分账户): one append-only chain of entries per worker and one
-- account row per worker that holds the chain's head and running totals. Every posting locks
-- the worker's account row, so the row is also the ledger's lock. All amounts are integer
-- tenths of a credit.
--
-- credit_accounts keeps, consistently with the worker's entries:
--   last_seq  = the seq of the newest entry (0 when there is none);
--   last_hash = that entry's hash (NULL when there is none);
--   earned    = sum of the positive amounts of every kind but conversion;
--   converted = sum of the conversion debits, as a positive number;
--   reversed  = sum of the negative amounts of every kind but conversion (training voids,
--               certificate revocations and by-level downgrades), as a positive number;
--   balance   = earned - converted - reversed = the newest entry's balance_after.
-- +goose Up
CREATE TABLE credit_accounts (
    worker_id  CHAR(36)    NOT NULL,
    last_seq   BIGINT      NOT NULL DEFAULT 0,
    balance    BIGINT      NOT NULL DEFAULT 0,
    earned     BIGINT      NOT NULL DEFAULT 0,
    converted  BIGINT      NOT NULL DEFAULT 0,
    reversed   BIGINT      NOT NULL DEFAULT 0,
    last_hash  BINARY(32)  NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (worker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE credit_entries (
    id              BIGINT      NOT NULL AUTO_INCREMENT,
    worker_id       CHAR(36)    NOT NULL,
    seq             BIGINT      NOT NULL,
    kind            VARCHAR(32) NOT NULL,
    amount          BIGINT      NOT NULL,
    balance_after   BIGINT      NOT NULL,
    rule_version    VARCHAR(32) NOT NULL DEFAULT '',
    source_type     VARCHAR(32) NOT NULL,
    source_id       VARCHAR(64) NOT NULL,
    occupation_code VARCHAR(16) NOT NULL DEFAULT '',
    created_at      DATETIME(6) NOT NULL,
    prev_hash       BINARY(32)  NULL,
    hash            BINARY(32)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_credit_entries_worker_seq (worker_id, seq),
    KEY idx_credit_entries_worker_occupation (worker_id, occupation_code),
    KEY idx_credit_entries_source (source_type, source_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;

-- +goose Down
DROP TABLE credit_entries;
DROP TABLE credit_accounts;
