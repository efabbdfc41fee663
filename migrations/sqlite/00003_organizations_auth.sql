-- Organisations (the directory), their API clients, refresh tokens and revoked access tokens.
-- +goose Up
CREATE TABLE organizations (
    id            TEXT     NOT NULL PRIMARY KEY,
    name          TEXT     NOT NULL,
    type          TEXT     NOT NULL,
    credit_code   TEXT     NOT NULL,
    region_code   TEXT     NOT NULL,
    status        TEXT     NOT NULL,
    status_reason TEXT     NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_organizations_credit_code ON organizations (credit_code);
CREATE INDEX idx_organizations_type_status ON organizations (type, status, id);

CREATE TABLE org_designations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    granted_on DATE NOT NULL
);
CREATE UNIQUE INDEX uk_org_designations ON org_designations (org_id, kind, granted_on);
CREATE INDEX idx_org_designations_kind ON org_designations (kind, granted_on);

CREATE TABLE org_clients (
    client_id   TEXT     NOT NULL PRIMARY KEY,
    org_id      TEXT     NOT NULL,
    secret_hash BLOB     NOT NULL,
    created_at  DATETIME NOT NULL,
    revoked_at  DATETIME NULL
);
CREATE INDEX idx_org_clients_org ON org_clients (org_id);

CREATE TABLE refresh_tokens (
    id         TEXT     NOT NULL PRIMARY KEY,
    token_hash BLOB     NOT NULL,
    family_id  TEXT     NOT NULL,
    subject    TEXT     NOT NULL,
    role       TEXT     NOT NULL,
    org_id     TEXT     NOT NULL DEFAULT '',
    expires_at DATETIME NOT NULL,
    used_at    DATETIME NULL,
    revoked_at DATETIME NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_refresh_tokens_hash ON refresh_tokens (token_hash);
CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE revoked_tokens (
    jti        TEXT     NOT NULL PRIMARY KEY,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_revoked_tokens_expires ON revoked_tokens (expires_at);

-- +goose Down
DROP TABLE revoked_tokens;
DROP TABLE refresh_tokens;
DROP TABLE org_clients;
DROP TABLE org_designations;
DROP TABLE organizations;
