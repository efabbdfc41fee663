-- Cache invalidations that could not reach Redis, replayed by every instance before it trusts
-- the cache again; and the deny-list of whole sign-in sessions (refresh families).
-- +goose Up
CREATE TABLE cache_invalidations (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    cache      VARCHAR(64)  NOT NULL,
    cache_key  VARCHAR(1024) NOT NULL,
    created_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;

CREATE TABLE revoked_sessions (
    sid        CHAR(36)    NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (sid),
    KEY idx_revoked_sessions_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE revoked_sessions;
DROP TABLE cache_invalidations;
