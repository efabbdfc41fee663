-- Training records (培训记录) posted by training institutions. See mysql/00005_trainings.sql for
-- what the columns mean (trainee_groups is the same bit mask); the two files describe the same
-- schema.
-- +goose Up
CREATE TABLE trainings (
    id                   TEXT     NOT NULL PRIMARY KEY,
    institution_id       TEXT     NOT NULL,
    external_id          TEXT     NOT NULL,
    worker_id            TEXT     NOT NULL,
    course_name          TEXT     NOT NULL,
    training_type        TEXT     NOT NULL,
    occupation_code      TEXT     NOT NULL,
    occupation_name      TEXT     NOT NULL DEFAULT '',
    level                INTEGER  NULL,
    hours                INTEGER  NOT NULL,
    start_date           DATE     NOT NULL,
    end_date             DATE     NOT NULL,
    result               TEXT     NOT NULL,
    subsidized           INTEGER  NOT NULL DEFAULT 0,
    subsidy_amount_cents INTEGER  NULL,
    trainee_groups       INTEGER  NOT NULL DEFAULT 0,
    credits              INTEGER  NOT NULL DEFAULT 0,
    status               TEXT     NOT NULL,
    void_reason          TEXT     NULL,
    voided_at            DATETIME NULL,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_trainings_institution_external ON trainings (institution_id, external_id);
CREATE INDEX idx_trainings_worker_end ON trainings (worker_id, end_date);
CREATE INDEX idx_trainings_end_type ON trainings (end_date, training_type);
CREATE INDEX idx_trainings_institution_created ON trainings (institution_id, created_at);

-- +goose Down
DROP TABLE trainings;
