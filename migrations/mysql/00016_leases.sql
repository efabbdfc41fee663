-- leases: named, expiring locks held through a replicated row, for work that must not run
-- twice at once against one database (today `skillrecord seed`). A row is taken by an INSERT
-- that the primary key lets only one process win, whichever node of a Galera cluster each talks
-- to (GET_LOCK holds only on the node that granted it); its holder renews expires_ms while it
-- works and deletes the row when done, and a row past expires_ms (a holder that died) may be
-- taken over. Times are Unix milliseconds so that MySQL and SQLite compare them alike.
-- +goose Up
CREATE TABLE leases (
    name        VARCHAR(64)  NOT NULL,
    holder      VARCHAR(128) NOT NULL,
    acquired_ms BIGINT       NOT NULL,
    expires_ms  BIGINT       NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE leases;
