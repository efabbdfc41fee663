-- Random inspections (双随机、一公开), the indexes that the indicator (专栏1) and institution
-- statistics queries need, and the marker of databases filled by `skillrecord seed`.
--
-- inspections keeps every drawn sample as it was drawn: the seed and the parameters, the
-- window of end dates the records were drawn from, how many active institutions there were to
-- draw from, and the sample itself as a JSON array of
--   {"institution_id", "name", "record_candidates", "record_ids": [...]}
-- so that anyone can redraw it from the seed (see internal/inspection) and compare.
--
-- seed_runs marks a database that `skillrecord seed` filled with synthetic data: one row per
-- run, written before the first synthetic row. seed refuses a database that holds workers,
-- organisations, trainings or certificates without such a row. worker_offset and org_offset
-- are where the run's numbering of synthetic people and organisations started, so that a
-- later run continues after it instead of reusing its SSNs and credit codes.
--
-- Indexes (each covers its query, so the aggregates read no table rows):
--   idx_trainings_indicator_type     workers by training type (in worker order, so that distinct
--                                    workers are counted by a streaming GROUP BY) and records;
--   idx_trainings_indicator_subsidy  subsidised records in a period, with the migrant-worker bit;
--   idx_trainings_institution_end    an institution's records by end date (statistics,
--                                    inspection candidates);
--   idx_certificates_indicator_issued certificates of a type issued in a period, by level and
--                                    revocation;
--   idx_certificates_indicator_stock  high-skill holders at a date (type, level, validity);
--   idx_certificates_issuer_issued   an organisation's certificates by issue date.
-- +goose Up
CREATE TABLE inspections (
    id                      CHAR(36)    NOT NULL,
    seed                    VARCHAR(64) NOT NULL,
    institutions            INT         NOT NULL,
    records_per_institution INT         NOT NULL,
    window_from             DATE        NOT NULL,
    window_to               DATE        NOT NULL,
    institution_candidates  INT         NOT NULL,
    sample                  MEDIUMTEXT  NOT NULL,
    created_by              VARCHAR(64) NOT NULL,
    created_at              DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    KEY idx_inspections_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE seed_runs (
    id            BIGINT      NOT NULL AUTO_INCREMENT,
    seed          VARCHAR(64) NOT NULL,
    workers       INT         NOT NULL,
    institutions  INT         NOT NULL,
    worker_offset BIGINT      NOT NULL,
    org_offset    BIGINT      NOT NULL,
    started_at    DATETIME(6) NOT NULL,
    finished_at   DATETIME(6) NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;

CREATE INDEX idx_trainings_indicator_type ON trainings (training_type, status, worker_id, end_date);
CREATE INDEX idx_trainings_indicator_subsidy ON trainings (subsidized, status, end_date, trainee_groups);
CREATE INDEX idx_trainings_institution_end ON trainings (institution_id, end_date, status);
CREATE INDEX idx_certificates_indicator_issued ON certificates (type, issued_on, level, status, revoked_at);
CREATE INDEX idx_certificates_indicator_stock ON certificates (type, level, issued_on, valid_until, status, revoked_at, worker_id);
CREATE INDEX idx_certificates_issuer_issued ON certificates (issuer_org_id, issued_on, status);

-- +goose Down
DROP INDEX idx_certificates_issuer_issued ON certificates;
DROP INDEX idx_certificates_indicator_stock ON certificates;
DROP INDEX idx_certificates_indicator_issued ON certificates;
DROP INDEX idx_trainings_institution_end ON trainings;
DROP INDEX idx_trainings_indicator_subsidy ON trainings;
DROP INDEX idx_trainings_indicator_type ON trainings;
DROP TABLE seed_runs;
DROP TABLE inspections;
