-- Subsidy claims (补贴申领), their lines, the public notices (公示) of approved claims and the
-- objections raised against a notice. Like the training records, no table here holds an SSN
-- or a name: a line names its worker by the registry's opaque worker_id.
--
-- A claim is one per class (uk_subsidy_claims_class: asking again answers the stored claim).
-- A line copies the class's occupation_code, level and end_date so that the eligibility rules
-- (at most 3 subsidised trainings per worker and calendar year; one occupation and level once
-- per worker within subsidy.repeat_window_years) are one indexed read by worker_id.
-- reasons is the comma-separated list of the reason codes that make a line ineligible.
-- An objection's contact is personal data: encrypted (contact_enc), never indexed.
-- +goose Up
CREATE TABLE subsidy_claims (
    id              CHAR(36)     NOT NULL,
    class_id        CHAR(36)     NOT NULL,
    institution_id  CHAR(36)     NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    total_cents     BIGINT       NOT NULL,
    review_reason   VARCHAR(500) NOT NULL DEFAULT '',
    reviewed_at     DATETIME(6)  NULL,
    created_at      DATETIME(6)  NOT NULL,
    updated_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_subsidy_claims_class (class_id),
    KEY idx_subsidy_claims_status_created (status, created_at),
    KEY idx_subsidy_claims_institution (institution_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE subsidy_claim_lines (
    id              CHAR(36)     NOT NULL,
    claim_id        CHAR(36)     NOT NULL,
    seq             INT          NOT NULL,
    worker_id       CHAR(36)     NOT NULL,
    training_id     CHAR(36)     NULL,
    eligible        BOOLEAN      NOT NULL,
    amount_cents    BIGINT       NOT NULL,
    claimed_cents   BIGINT       NOT NULL,
    reasons         VARCHAR(200) NOT NULL DEFAULT '',
    adjust_reason   VARCHAR(500) NOT NULL DEFAULT '',
    occupation_code VARCHAR(16)  NOT NULL,
    level           TINYINT      NULL,
    end_date        DATE         NOT NULL,
    held            BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at      DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_subsidy_claim_lines_worker (claim_id, worker_id),
    KEY idx_subsidy_claim_lines_worker_date (worker_id, end_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE subsidy_notices (
    id         CHAR(36)    NOT NULL,
    claim_id   CHAR(36)    NOT NULL,
    starts_at  DATETIME(6) NOT NULL,
    ends_at    DATETIME(6) NOT NULL,
    withdrawn  BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY idx_subsidy_notices_claim (claim_id, created_at),
    KEY idx_subsidy_notices_starts (starts_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE subsidy_objections (
    id             CHAR(36)       NOT NULL,
    notice_id      CHAR(36)       NOT NULL,
    claim_id       CHAR(36)       NOT NULL,
    text           VARCHAR(2000)  NOT NULL,
    contact_enc    VARBINARY(512) NULL,
    status         VARCHAR(16)    NOT NULL,
    resolve_reason VARCHAR(500)   NOT NULL DEFAULT '',
    resolved_at    DATETIME(6)    NULL,
    created_at     DATETIME(6)    NOT NULL,
    PRIMARY KEY (id),
    KEY idx_subsidy_objections_claim (claim_id, status),
    KEY idx_subsidy_objections_status_created (status, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE subsidy_objections;
DROP TABLE subsidy_notices;
DROP TABLE subsidy_claim_lines;
DROP TABLE subsidy_claims;
