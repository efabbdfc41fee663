-- A ledger entry is identified by its worker and seq: make (worker_id, seq) the primary key of
-- credit_entries and drop the surrogate id, which no query reads. InnoDB stores a table in its
-- primary key's order, so each batch's entries now go into one B-tree instead of two (the
-- appended id and the unique (worker_id, seq)), and a worker's ledger is stored together:
-- EntriesPage, AllEntries and the locked sums read one range of it. The key still refuses a
-- second entry with a worker's seq, which is what keeps two racing postings from both
-- committing it.
--
-- On a large ledger this rebuilds the table (minutes for tens of millions of entries): run it
-- in a maintenance window.
-- +goose Up
ALTER TABLE credit_entries
    DROP PRIMARY KEY,
    DROP COLUMN id,
    DROP INDEX uk_credit_entries_worker_seq,
    ADD PRIMARY KEY (worker_id, seq);

-- +goose Down
ALTER TABLE credit_entries
    DROP PRIMARY KEY,
    ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT FIRST,
    ADD PRIMARY KEY (id),
    ADD UNIQUE KEY uk_credit_entries_worker_seq (worker_id, seq);
