-- Consent shares. See mysql/00009_shares.sql for what the columns mean; the two files describe
-- the same schema.
-- +goose Up
CREATE TABLE shares (
    id              TEXT     NOT NULL PRIMARY KEY,
    worker_id       TEXT     NOT NULL,
    token_hash      BLOB     NOT NULL,
    scope           TEXT     NOT NULL,
    audience_org_id TEXT     NULL,
    expires_at      DATETIME NOT NULL,
    revoked_at      DATETIME NULL,
    created_at      DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_shares_token_hash ON shares (token_hash);
CREATE INDEX idx_shares_worker_created ON shares (worker_id, created_at);

-- +goose Down
DROP TABLE shares;
