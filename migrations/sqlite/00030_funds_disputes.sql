-- The funds ledger and workers' disputes (see mysql/00030 for what the columns mean; the two
-- files describe the same schema).
-- +goose Up
CREATE TABLE fund_budgets (
    source          TEXT     NOT NULL,
    year            INTEGER  NOT NULL,
    budget_cents    INTEGER  NOT NULL,
    disbursed_cents INTEGER  NOT NULL DEFAULT 0,
    updated_at      DATETIME NOT NULL,
    PRIMARY KEY (source, year)
);

CREATE TABLE fund_ledger_head (
    id   INTEGER NOT NULL PRIMARY KEY,
    seq  INTEGER NOT NULL,
    hash BLOB    NULL
);
INSERT INTO fund_ledger_head (id, seq, hash) VALUES (1, 0, NULL);

CREATE TABLE fund_entries (
    seq          INTEGER  NOT NULL PRIMARY KEY,
    source       TEXT     NOT NULL,
    year         INTEGER  NOT NULL,
    kind         TEXT     NOT NULL,
    amount_cents INTEGER  NOT NULL,
    claim_id     TEXT     NOT NULL DEFAULT '',
    line_id      TEXT     NOT NULL DEFAULT '',
    reference    TEXT     NOT NULL DEFAULT '',
    payee        TEXT     NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    prev_hash    BLOB     NULL,
    hash         BLOB     NOT NULL
);
CREATE INDEX idx_fund_entries_source_year ON fund_entries (source, year, seq);

CREATE TABLE fund_disbursements (
    id           TEXT     NOT NULL PRIMARY KEY,
    reference    TEXT     NOT NULL,
    claim_id     TEXT     NOT NULL,
    source       TEXT     NOT NULL,
    year         INTEGER  NOT NULL,
    payee        TEXT     NOT NULL,
    amount_cents INTEGER  NOT NULL,
    entry_seq    INTEGER  NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_fund_disbursements_reference ON fund_disbursements (reference);
CREATE INDEX idx_fund_disbursements_claim ON fund_disbursements (claim_id);

CREATE TABLE fund_disbursed_lines (
    line_id         TEXT    NOT NULL PRIMARY KEY,
    disbursement_id TEXT    NOT NULL,
    claim_id        TEXT    NOT NULL,
    amount_cents    INTEGER NOT NULL
);
CREATE INDEX idx_fund_disbursed_lines_disbursement ON fund_disbursed_lines (disbursement_id);

CREATE TABLE disputes (
    id             TEXT     NOT NULL PRIMARY KEY,
    worker_id      TEXT     NOT NULL,
    subject        TEXT     NOT NULL,
    subject_id     TEXT     NOT NULL,
    institution_id TEXT     NOT NULL,
    reason         TEXT     NOT NULL,
    status         TEXT     NOT NULL,
    resolve_reason TEXT     NOT NULL DEFAULT '',
    resolved_at    DATETIME NULL,
    created_at     DATETIME NOT NULL
);
CREATE INDEX idx_disputes_worker ON disputes (worker_id, created_at);
CREATE INDEX idx_disputes_institution ON disputes (institution_id, created_at);
CREATE INDEX idx_disputes_status ON disputes (status, created_at);

-- +goose Down
DROP TABLE disputes;
DROP TABLE fund_disbursed_lines;
DROP TABLE fund_disbursements;
DROP TABLE fund_entries;
DROP TABLE fund_ledger_head;
DROP TABLE fund_budgets;
