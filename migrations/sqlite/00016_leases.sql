-- leases: named, expiring locks held through a row (see the MySQL migration of the same
-- version). Times are Unix milliseconds.
-- +goose Up
CREATE TABLE leases (
    name        TEXT    NOT NULL PRIMARY KEY,
    holder      TEXT    NOT NULL,
    acquired_ms INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL
);

-- +goose Down
DROP TABLE leases;
