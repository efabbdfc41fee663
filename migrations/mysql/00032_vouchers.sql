-- Electronic training vouchers (职业培训券). A batch is issued by the bureau: general (any
-- eligible worker claims one) or directed (issued to the roster of an approved class).
-- voucher_batches.issued counts the vouchers ever created in the batch; a claim locks the batch
-- row, so issued never passes quantity. eligible is the batch's JSON eligibility and scope
-- ({trainee_groups, occupation_codes, institution_ids, card_areas}). A voucher's state is
-- stored as last written; issued and claimed vouchers past expires_on read as expired.
-- +goose Up
CREATE TABLE voucher_batches (
    batch_key        VARCHAR(64)  NOT NULL,
    name             VARCHAR(200) NOT NULL,
    kind             VARCHAR(16)  NOT NULL,
    subsidy_item     VARCHAR(64)  NOT NULL,
    face_value_cents BIGINT       NOT NULL,
    valid_days       INT          NOT NULL,
    quantity         INT          NOT NULL,
    issued           INT          NOT NULL DEFAULT 0,
    fund_source      VARCHAR(32)  NOT NULL,
    eligible         TEXT         NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    closed_at        DATETIME(6)  NULL,
    created_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (batch_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE vouchers (
    id               CHAR(36)     NOT NULL,
    batch_key        VARCHAR(64)  NOT NULL,
    worker_id        CHAR(36)     NOT NULL,
    state            VARCHAR(16)  NOT NULL,
    face_value_cents BIGINT       NOT NULL,
    expires_on       DATE         NOT NULL,
    class_id         VARCHAR(36)  NOT NULL DEFAULT '',
    line_id          VARCHAR(36)  NOT NULL DEFAULT '',
    used_at          DATETIME(6)  NULL,
    settled_at       DATETIME(6)  NULL,
    created_at       DATETIME(6)  NOT NULL,
    updated_at       DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY idx_vouchers_worker (worker_id, created_at),
    KEY idx_vouchers_batch (batch_key, state),
    KEY idx_vouchers_class (class_id, worker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE vouchers;
DROP TABLE voucher_batches;
