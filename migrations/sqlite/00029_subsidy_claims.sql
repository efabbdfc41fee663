-- Subsidy claims, their lines, public notices and objections (see mysql/00029 for what the
-- columns mean; the two files describe the same schema).
-- +goose Up
CREATE TABLE subsidy_claims (
    id             TEXT     NOT NULL PRIMARY KEY,
    class_id       TEXT     NOT NULL,
    institution_id TEXT     NOT NULL,
    status         TEXT     NOT NULL,
    total_cents    INTEGER  NOT NULL,
    review_reason  TEXT     NOT NULL DEFAULT '',
    reviewed_at    DATETIME NULL,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_subsidy_claims_class ON subsidy_claims (class_id);
CREATE INDEX idx_subsidy_claims_status_created ON subsidy_claims (status, created_at);
CREATE INDEX idx_subsidy_claims_institution ON subsidy_claims (institution_id, created_at);

CREATE TABLE subsidy_claim_lines (
    id              TEXT     NOT NULL PRIMARY KEY,
    claim_id        TEXT     NOT NULL,
    seq             INTEGER  NOT NULL,
    worker_id       TEXT     NOT NULL,
    training_id     TEXT     NULL,
    eligible        INTEGER  NOT NULL,
    amount_cents    INTEGER  NOT NULL,
    claimed_cents   INTEGER  NOT NULL,
    reasons         TEXT     NOT NULL DEFAULT '',
    adjust_reason   TEXT     NOT NULL DEFAULT '',
    occupation_code TEXT     NOT NULL,
    level           INTEGER  NULL,
    end_date        DATE     NOT NULL,
    held            INTEGER  NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_subsidy_claim_lines_worker ON subsidy_claim_lines (claim_id, worker_id);
CREATE INDEX idx_subsidy_claim_lines_worker_date ON subsidy_claim_lines (worker_id, end_date);

CREATE TABLE subsidy_notices (
    id         TEXT     NOT NULL PRIMARY KEY,
    claim_id   TEXT     NOT NULL,
    starts_at  DATETIME NOT NULL,
    ends_at    DATETIME NOT NULL,
    withdrawn  INTEGER  NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_subsidy_notices_claim ON subsidy_notices (claim_id, created_at);
CREATE INDEX idx_subsidy_notices_starts ON subsidy_notices (starts_at, id);

CREATE TABLE subsidy_objections (
    id             TEXT     NOT NULL PRIMARY KEY,
    notice_id      TEXT     NOT NULL,
    claim_id       TEXT     NOT NULL,
    text           TEXT     NOT NULL,
    contact_enc    BLOB     NULL,
    status         TEXT     NOT NULL,
    resolve_reason TEXT     NOT NULL DEFAULT '',
    resolved_at    DATETIME NULL,
    created_at     DATETIME NOT NULL
);
CREATE INDEX idx_subsidy_objections_claim ON subsidy_objections (claim_id, status);
CREATE INDEX idx_subsidy_objections_status_created ON subsidy_objections (status, created_at);

-- +goose Down
DROP TABLE subsidy_objections;
DROP TABLE subsidy_notices;
DROP TABLE subsidy_claim_lines;
DROP TABLE subsidy_claims;
