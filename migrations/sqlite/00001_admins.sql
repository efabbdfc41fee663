-- Bureau staff accounts. The first one is created with `skillrecord admin create`.
-- +goose Up
CREATE TABLE admins (
    id            TEXT    NOT NULL PRIMARY KEY,
    username      TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'active',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_admins_username ON admins (username);

-- +goose Down
DROP TABLE admins;
