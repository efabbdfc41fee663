-- Consent shares (授权分享): a worker lets employers or colleges read their record or their
-- certificates through a random token, for 1 hour to 30 days, optionally bound to one
-- organisation (audience_org_id), revocable. The token is never stored: token_hash is its
-- SHA-256, looked up by the unique key. Rows are kept after expiry and revocation, so that the
-- worker's list and the access events that name a share id stay meaningful.
-- +goose Up
CREATE TABLE shares (
    id              CHAR(36)    NOT NULL,
    worker_id       CHAR(36)    NOT NULL,
    token_hash      BINARY(32)  NOT NULL,
    scope           VARCHAR(16) NOT NULL,
    audience_org_id CHAR(36)    NULL,
    expires_at      DATETIME(6) NOT NULL,
    revoked_at      DATETIME(6) NULL,
    created_at      DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_shares_token_hash (token_hash),
    KEY idx_shares_worker_created (worker_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE shares;
