-- College conversions of skill credits (学分转换), idempotent by the college's external id.
-- +goose Up
CREATE TABLE credit_conversions (
    id               CHAR(36)      NOT NULL,
    college_id       CHAR(36)      NOT NULL,
    external_id      VARCHAR(64)   NOT NULL,
    worker_id        CHAR(36)      NOT NULL,
    credits          BIGINT        NOT NULL,
    program          VARCHAR(200)  NOT NULL,
    academic_credits DECIMAL(8,2)  NOT NULL,
    balance_after    BIGINT        NOT NULL,
    created_at       DATETIME(6)   NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_credit_conversions_external (college_id, external_id),
    KEY idx_credit_conversions_worker (worker_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE credit_conversions;
