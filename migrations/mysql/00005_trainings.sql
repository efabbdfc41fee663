-- Training records (培训记录) posted by training institutions. A record names its worker by the
-- registry's opaque worker_id, never by SSN or name (the real-name check happens when it is
-- posted). external_id is the institution's own id and the idempotency key: unique per
-- institution. Voiding keeps the row (status void, with its reason and time); the credits it
-- earned are reversed in the ledger.
--
-- Columns the indicators filter on:
--   subsidized      1 for subsidised training (补贴性培训);
--   trainee_groups  a bit mask of the trainee groups, stable for ever:
--                   1 migrant_worker, 2 rural_transfer, 4 veteran, 8 disabled, 16 youth,
--                   32 graduate, 64 unemployed, 128 poverty_alleviated
--                   (农民工 records: trainee_groups & 1 <> 0);
--   credits         what the record earned when it was posted, in tenths of a credit.
-- +goose Up
CREATE TABLE trainings (
    id                   CHAR(36)     NOT NULL,
    institution_id       CHAR(36)     NOT NULL,
    external_id          VARCHAR(64)  NOT NULL,
    worker_id            CHAR(36)     NOT NULL,
    course_name          VARCHAR(200) NOT NULL,
    training_type        VARCHAR(32)  NOT NULL,
    occupation_code      VARCHAR(16)  NOT NULL,
    occupation_name      VARCHAR(100) NOT NULL DEFAULT '',
    level                TINYINT      NULL,
    hours                SMALLINT     NOT NULL,
    start_date           DATE         NOT NULL,
    end_date             DATE         NOT NULL,
    result               VARCHAR(8)   NOT NULL,
    subsidized           BOOLEAN      NOT NULL DEFAULT FALSE,
    subsidy_amount_cents BIGINT       NULL,
    trainee_groups       SMALLINT     NOT NULL DEFAULT 0,
    credits              INT          NOT NULL DEFAULT 0,
    status               VARCHAR(8)   NOT NULL,
    void_reason          VARCHAR(500) NULL,
    voided_at            DATETIME(6)  NULL,
    created_at           DATETIME(6)  NOT NULL,
    updated_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_trainings_institution_external (institution_id, external_id),
    KEY idx_trainings_worker_end (worker_id, end_date),
    KEY idx_trainings_end_type (end_date, training_type),
    KEY idx_trainings_institution_created (institution_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE trainings;
