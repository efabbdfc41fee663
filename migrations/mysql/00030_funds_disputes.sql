-- The funds ledger (资金拨付): budgets per fund source and calendar year, the disbursements
-- of subsidy claims and the lines they paid, and one append-only, hash-chained ledger of
-- every budget change, disbursement and reversal owed, numbered 1, 2, … over all sources
-- (fund_entries.seq). fund_ledger_head holds the chain's last seq and hash in its one row,
-- which an append locks; a disbursement locks its budget row, so two cannot overdraw it.
-- fund_disbursed_lines' primary key is the line: a line is never paid twice.
--
-- Workers' disputes (异议申诉) of a training record or a subsidy line.
-- +goose Up
CREATE TABLE fund_budgets (
    source          VARCHAR(32) NOT NULL,
    year            SMALLINT    NOT NULL,
    budget_cents    BIGINT      NOT NULL,
    disbursed_cents BIGINT      NOT NULL DEFAULT 0,
    updated_at      DATETIME(6) NOT NULL,
    PRIMARY KEY (source, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE fund_ledger_head (
    id   TINYINT    NOT NULL,
    seq  BIGINT     NOT NULL,
    hash BINARY(32) NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO fund_ledger_head (id, seq, hash) VALUES (1, 0, NULL);

CREATE TABLE fund_entries (
    seq          BIGINT       NOT NULL,
    source       VARCHAR(32)  NOT NULL,
    year         SMALLINT     NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    amount_cents BIGINT       NOT NULL,
    claim_id     VARCHAR(36)  NOT NULL DEFAULT '',
    line_id      VARCHAR(36)  NOT NULL DEFAULT '',
    reference    VARCHAR(64)  NOT NULL DEFAULT '',
    payee        VARCHAR(16)  NOT NULL DEFAULT '',
    created_at   DATETIME(6)  NOT NULL,
    prev_hash    VARBINARY(32) NULL,
    hash         BINARY(32)   NOT NULL,
    PRIMARY KEY (seq),
    KEY idx_fund_entries_source_year (source, year, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE fund_disbursements (
    id           CHAR(36)    NOT NULL,
    reference    VARCHAR(64) NOT NULL,
    claim_id     CHAR(36)    NOT NULL,
    source       VARCHAR(32) NOT NULL,
    year         SMALLINT    NOT NULL,
    payee        VARCHAR(16) NOT NULL,
    amount_cents BIGINT      NOT NULL,
    entry_seq    BIGINT      NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_fund_disbursements_reference (reference),
    KEY idx_fund_disbursements_claim (claim_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE fund_disbursed_lines (
    line_id         CHAR(36) NOT NULL,
    disbursement_id CHAR(36) NOT NULL,
    claim_id        CHAR(36) NOT NULL,
    amount_cents    BIGINT   NOT NULL,
    PRIMARY KEY (line_id),
    KEY idx_fund_disbursed_lines_disbursement (disbursement_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE disputes (
    id             CHAR(36)     NOT NULL,
    worker_id      CHAR(36)     NOT NULL,
    subject        VARCHAR(16)  NOT NULL,
    subject_id     CHAR(36)     NOT NULL,
    institution_id CHAR(36)     NOT NULL,
    reason         VARCHAR(500) NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    resolve_reason VARCHAR(500) NOT NULL DEFAULT '',
    resolved_at    DATETIME(6)  NULL,
    created_at     DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY idx_disputes_worker (worker_id, created_at),
    KEY idx_disputes_institution (institution_id, created_at),
    KEY idx_disputes_status (status, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE disputes;
DROP TABLE fund_disbursed_lines;
DROP TABLE fund_disbursements;
DROP TABLE fund_entries;
DROP TABLE fund_ledger_head;
DROP TABLE fund_budgets;
