-- Staff accounts: named people who sign in for an organisation. Usernames share one namespace
-- with admins' (checked on creation); only the SHA-256 of the one-time set-password token is kept;
-- the display name, a person's name, is sealed with the data keyring.
-- +goose Up
CREATE TABLE org_users (
    id                   CHAR(36)     NOT NULL,
    org_id               CHAR(36)     NOT NULL,
    username             VARCHAR(64)  NOT NULL,
    display_name_enc     VARBINARY(512) NOT NULL,
    password_hash        VARCHAR(255) NOT NULL DEFAULT '',
    status               VARCHAR(16)  NOT NULL DEFAULT 'active',
    set_token_hash       BINARY(32)   NULL,
    set_token_expires_at DATETIME(6)  NULL,
    created_at           DATETIME(6)  NOT NULL,
    updated_at           DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_org_users_username (username),
    UNIQUE KEY uk_org_users_set_token (set_token_hash),
    KEY ix_org_users_org (org_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE org_users;
