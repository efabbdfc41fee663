-- Staff accounts: named people who sign in for an organisation. Usernames share one namespace
-- with admins' (checked on creation); only the SHA-256 of the one-time set-password token is kept;
-- the display name, a person's name, is sealed with the data keyring.
-- +goose Up
CREATE TABLE org_users (
    id                   TEXT     NOT NULL PRIMARY KEY,
    org_id               TEXT     NOT NULL,
    username             TEXT     NOT NULL,
    display_name_enc     BLOB     NOT NULL,
    password_hash        TEXT     NOT NULL DEFAULT '',
    status               TEXT     NOT NULL DEFAULT 'active',
    set_token_hash       BLOB     NULL,
    set_token_expires_at DATETIME NULL,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_org_users_username ON org_users (username);
CREATE UNIQUE INDEX uk_org_users_set_token ON org_users (set_token_hash);
CREATE INDEX ix_org_users_org ON org_users (org_id, id);

-- +goose Down
DROP TABLE org_users;
