-- employment_spells: employment data from the bureau's other systems (see the MySQL migration
-- of the same version).
-- +goose Up
CREATE TABLE employment_spells (
    id                   TEXT     NOT NULL PRIMARY KEY,
    source_id            TEXT     NOT NULL UNIQUE,
    worker_id            TEXT     NOT NULL,
    kind                 TEXT     NOT NULL,
    employer_credit_code TEXT     NOT NULL DEFAULT '',
    start_date           DATE     NOT NULL,
    end_date             DATE     NULL,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE INDEX idx_employment_spells_worker ON employment_spells (worker_id, start_date);

-- +goose Down
DROP TABLE employment_spells;
