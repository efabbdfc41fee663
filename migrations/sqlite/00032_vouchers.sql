-- Electronic training vouchers (see mysql/00032 for what the columns mean; the two files
-- describe the same schema).
-- +goose Up
CREATE TABLE voucher_batches (
    batch_key        TEXT     NOT NULL PRIMARY KEY,
    name             TEXT     NOT NULL,
    kind             TEXT     NOT NULL,
    subsidy_item     TEXT     NOT NULL,
    face_value_cents INTEGER  NOT NULL,
    valid_days       INTEGER  NOT NULL,
    quantity         INTEGER  NOT NULL,
    issued           INTEGER  NOT NULL DEFAULT 0,
    fund_source      TEXT     NOT NULL,
    eligible         TEXT     NOT NULL,
    status           TEXT     NOT NULL,
    closed_at        DATETIME NULL,
    created_at       DATETIME NOT NULL
);

CREATE TABLE vouchers (
    id               TEXT     NOT NULL PRIMARY KEY,
    batch_key        TEXT     NOT NULL,
    worker_id        TEXT     NOT NULL,
    state            TEXT     NOT NULL,
    face_value_cents INTEGER  NOT NULL,
    expires_on       DATE     NOT NULL,
    class_id         TEXT     NOT NULL DEFAULT '',
    line_id          TEXT     NOT NULL DEFAULT '',
    used_at          DATETIME NULL,
    settled_at       DATETIME NULL,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE INDEX idx_vouchers_worker ON vouchers (worker_id, created_at);
CREATE INDEX idx_vouchers_batch ON vouchers (batch_key, state);
CREATE INDEX idx_vouchers_class ON vouchers (class_id, worker_id);

-- +goose Down
DROP TABLE vouchers;
DROP TABLE voucher_batches;
