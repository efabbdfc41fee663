-- College conversions of skill credits (学分转换), idempotent by the college's external id.
-- +goose Up
CREATE TABLE credit_conversions (
    id               TEXT     NOT NULL PRIMARY KEY,
    college_id       TEXT     NOT NULL,
    external_id      TEXT     NOT NULL,
    worker_id        TEXT     NOT NULL,
    credits          INTEGER  NOT NULL,
    program          TEXT     NOT NULL,
    academic_credits REAL     NOT NULL,
    balance_after    INTEGER  NOT NULL,
    created_at       DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_credit_conversions_external ON credit_conversions (college_id, external_id);
CREATE INDEX idx_credit_conversions_worker ON credit_conversions (worker_id, created_at);

-- +goose Down
DROP TABLE credit_conversions;
