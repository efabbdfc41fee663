-- Only the indexes that a query needs on the two tables a batch ingest writes: every
-- secondary index is one more B-tree that each of a batch's rows is inserted into. This drops
-- the three that no query reads, and lists each index that stays with the queries that need
-- it (the queries are in internal/sqlstore; keep this list in step with them).
--
-- Dropped:
--   idx_trainings_end_type (end_date, training_type): no query; the indicator queries read
--       idx_trainings_indicator_type and idx_trainings_indicator_subsidy, which cover them.
--   idx_credit_entries_worker_occupation (worker_id, occupation_code) and
--   idx_credit_entries_source (source_type, source_id): the sums behind a posting
--       (OccupationSum, SourceSum) name the worker, whose few entries uk_credit_entries_worker_seq
--       finds; no query looks entries up by source alone but SourceEntries, an operator's
--       read that no request makes.
--
-- trainings, what stays:
--   PRIMARY (id)                               LockTraining, SaveVoid (void a record by id)
--   uk_trainings_institution_external          the idempotency key: TrainingsByExternalID (every
--       (institution_id, external_id)          post and batch), InstitutionTrainings ?external_id=
--   idx_trainings_worker_end                   WorkerTrainings (GET /me/trainings and the record
--       (worker_id, end_date)                  summary: worker_id = ? ORDER BY end_date DESC, id
--                                              DESC), CountWorkerTrainings (worker_id = ?)
--   idx_trainings_institution_created          InstitutionTrainings (GET /trainings: institution_id
--       (institution_id, created_at)           = ? ORDER BY created_at DESC, id DESC)
--   idx_trainings_institution_end              institutionTrainings (organisation statistics) and
--       (institution_id, end_date, status)     RecordCandidates (inspections): institution_id = ?
--                                              AND end_date BETWEEN ? AND ?
--   idx_trainings_indicator_type               typeWorkers, typeRecords (indicators: one training
--       (training_type, status, worker_id,     type, active, ending in the period; distinct
--        end_date)                             workers by a streaming GROUP BY), forced by name
--   idx_trainings_indicator_subsidy            subsidyCounts (indicators: subsidised, active,
--       (subsidized, status, end_date,         ending in the period, the migrant-worker bit)
--        trainee_groups)
--
-- credit_entries, what stays:
--   PRIMARY (id)                               none reads by id; the insertion order, so that
--                                              entries are appended at the end of the table
--   uk_credit_entries_worker_seq               one seq per worker (two postings racing for one
--       (worker_id, seq)                       worker can never both commit the same seq);
--                                              EntriesPage, AllEntries (worker_id = ? ORDER BY
--                                              seq), the locked sums (worker_id = ? AND …)
--
-- credit_accounts has no secondary index: every query reads it by worker_id.
-- +goose Up
DROP INDEX idx_trainings_end_type ON trainings;
DROP INDEX idx_credit_entries_worker_occupation ON credit_entries;
DROP INDEX idx_credit_entries_source ON credit_entries;

-- +goose Down
CREATE INDEX idx_credit_entries_source ON credit_entries (source_type, source_id);
CREATE INDEX idx_credit_entries_worker_occupation ON credit_entries (worker_id, occupation_code);
CREATE INDEX idx_trainings_end_type ON trainings (end_date, training_type);
