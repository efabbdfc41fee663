-- Only the indexes that a query needs on trainings and credit_entries. See
-- mysql/00011_ingest_indexes.sql for each remaining index and the queries that read it; the
-- two files describe the same schema.
-- +goose Up
DROP INDEX idx_trainings_end_type;
DROP INDEX idx_credit_entries_worker_occupation;
DROP INDEX idx_credit_entries_source;

-- +goose Down
CREATE INDEX idx_credit_entries_source ON credit_entries (source_type, source_id);
CREATE INDEX idx_credit_entries_worker_occupation ON credit_entries (worker_id, occupation_code);
CREATE INDEX idx_trainings_end_type ON trainings (end_date, training_type);
