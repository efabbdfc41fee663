-- Cache invalidations that could not reach Redis, replayed by every instance before it trusts
-- the cache again; and the deny-list of whole sign-in sessions (refresh families).
-- +goose Up
CREATE TABLE cache_invalidations (
    id         INTEGER  NOT NULL PRIMARY KEY AUTOINCREMENT,
    cache      TEXT     NOT NULL,
    cache_key  TEXT     NOT NULL,
    created_at DATETIME NOT NULL
);

CREATE TABLE revoked_sessions (
    sid        TEXT     NOT NULL PRIMARY KEY,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_revoked_sessions_expires ON revoked_sessions (expires_at);

-- +goose Down
DROP TABLE revoked_sessions;
DROP TABLE cache_invalidations;
