-- Organisations (the directory), their API clients, refresh tokens and revoked access tokens.
-- +goose Up
CREATE TABLE organizations (
    id            CHAR(36)     NOT NULL,
    name          VARCHAR(200) NOT NULL,
    type          VARCHAR(32)  NOT NULL,
    credit_code   CHAR(18)     NOT NULL,
    region_code   CHAR(6)      NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    status_reason VARCHAR(500) NOT NULL DEFAULT '',
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_organizations_credit_code (credit_code),
    KEY idx_organizations_type_status (type, status, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE org_designations (
    id         BIGINT      NOT NULL AUTO_INCREMENT,
    org_id     CHAR(36)    NOT NULL,
    kind       VARCHAR(40) NOT NULL,
    granted_on DATE        NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_org_designations (org_id, kind, granted_on),
    KEY idx_org_designations_kind (kind, granted_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */;

CREATE TABLE org_clients (
    client_id   VARCHAR(40) NOT NULL,
    org_id      CHAR(36)    NOT NULL,
    secret_hash BINARY(32)  NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    revoked_at  DATETIME(6) NULL,
    PRIMARY KEY (client_id),
    KEY idx_org_clients_org (org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE refresh_tokens (
    id         CHAR(36)    NOT NULL,
    token_hash BINARY(32)  NOT NULL,
    family_id  CHAR(36)    NOT NULL,
    subject    VARCHAR(40) NOT NULL,
    role       VARCHAR(32) NOT NULL,
    org_id     VARCHAR(36) NOT NULL DEFAULT '',
    expires_at DATETIME(6) NOT NULL,
    used_at    DATETIME(6) NULL,
    revoked_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_refresh_tokens_hash (token_hash),
    KEY idx_refresh_tokens_family (family_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE revoked_tokens (
    jti        CHAR(36)    NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    PRIMARY KEY (jti),
    KEY idx_revoked_tokens_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE revoked_tokens;
DROP TABLE refresh_tokens;
DROP TABLE org_clients;
DROP TABLE org_designations;
DROP TABLE organizations;
