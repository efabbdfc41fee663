-- employment_spells: employment data from the bureau's employment and social-security systems
-- (就业登记 employed, 失业登记 unemployed_registered, 参保 insured), one row per spell, keyed by
-- the sending system's source_id (an import is idempotent by it). The worker is named by the
-- registry's opaque worker_id (the SSN and name were checked against the cardholder registry
-- when the spell was imported and are not kept). employer_credit_code is the employer's unified
-- social credit code (GB 32100), empty when the spell has none; end_date NULL = still running.
-- +goose Up
CREATE TABLE employment_spells (
    id                   CHAR(36)    NOT NULL,
    source_id            VARCHAR(64) NOT NULL,
    worker_id            CHAR(36)    NOT NULL,
    kind                 VARCHAR(32) NOT NULL,
    employer_credit_code VARCHAR(18) NOT NULL DEFAULT '',
    start_date           DATE        NOT NULL,
    end_date             DATE        NULL,
    created_at           DATETIME(6) NOT NULL,
    updated_at           DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_employment_spells_source (source_id),
    KEY idx_employment_spells_worker (worker_id, start_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE employment_spells;
