-- Random inspections, the indexes of the indicator and statistics queries, and the marker of
-- databases filled by `skillrecord seed`. See mysql/00010_inspections.sql for what the
-- columns mean; the two files describe the same schema.
-- +goose Up
CREATE TABLE inspections (
    id                      TEXT     NOT NULL PRIMARY KEY,
    seed                    TEXT     NOT NULL,
    institutions            INTEGER  NOT NULL,
    records_per_institution INTEGER  NOT NULL,
    window_from             DATE     NOT NULL,
    window_to               DATE     NOT NULL,
    institution_candidates  INTEGER  NOT NULL,
    sample                  TEXT     NOT NULL,
    created_by              TEXT     NOT NULL,
    created_at              DATETIME NOT NULL
);
CREATE INDEX idx_inspections_created ON inspections (created_at);

CREATE TABLE seed_runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    seed          TEXT     NOT NULL,
    workers       INTEGER  NOT NULL,
    institutions  INTEGER  NOT NULL,
    worker_offset INTEGER  NOT NULL,
    org_offset    INTEGER  NOT NULL,
    started_at    DATETIME NOT NULL,
    finished_at   DATETIME NULL
);

CREATE INDEX idx_trainings_indicator_type ON trainings (training_type, status, worker_id, end_date);
CREATE INDEX idx_trainings_indicator_subsidy ON trainings (subsidized, status, end_date, trainee_groups);
CREATE INDEX idx_trainings_institution_end ON trainings (institution_id, end_date, status);
CREATE INDEX idx_certificates_indicator_issued ON certificates (type, issued_on, level, status, revoked_at);
CREATE INDEX idx_certificates_indicator_stock ON certificates (type, level, issued_on, valid_until, status, revoked_at, worker_id);
CREATE INDEX idx_certificates_issuer_issued ON certificates (issuer_org_id, issued_on, status);

-- +goose Down
DROP INDEX idx_certificates_issuer_issued;
DROP INDEX idx_certificates_indicator_stock;
DROP INDEX idx_certificates_indicator_issued;
DROP INDEX idx_trainings_institution_end;
DROP INDEX idx_trainings_indicator_subsidy;
DROP INDEX idx_trainings_indicator_type;
DROP TABLE seed_runs;
DROP TABLE inspections;
