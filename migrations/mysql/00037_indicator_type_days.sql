-- The distinct-worker indicators (金蓝领 and 企业新型学徒制: workers with an active record of
-- the type ending in the period), kept as writes happen, so that they add up a small table
-- instead of grouping every record of the type by worker.
--
-- For each worker and type, take the distinct end dates of the worker's active records of the
-- type, in order: each date d gets an entry (d, p), p being the date before it (1000-01-01 for
-- the first). A worker has a record ending in [from, to] exactly when one of its entries has
-- from <= d <= to and p < from (its first date in the period), so the indicator is
--   SUM(workers) WHERE training_type = ? AND end_date BETWEEN from AND to AND prev_date < from.
-- indicator_type_days counts the entries by (type, d, p); most workers have one record of a
-- type, so most entries share the rows (type, d, 1000-01-01). As in indicator_training_days
-- (00036), counts are spread over slots 0–15 that writers pick at random.
--
-- TrainingStore.CreateTrainings and SaveVoid keep it in the transaction of the write: they read
-- the workers' active dates of the type with a locking read (so that two writes for one worker
-- of one type take turns) and add the difference of the entries.
--
-- The locking read goes through idx_trainings_indicator_type (training_type, status,
-- worker_id, end_date): it finds a worker's active records of the two types, and only those.
-- +goose Up
CREATE TABLE indicator_type_days (
    training_type VARCHAR(32)      NOT NULL,
    end_date      DATE             NOT NULL,
    prev_date     DATE             NOT NULL,
    slot          TINYINT UNSIGNED NOT NULL,
    workers       BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (training_type, end_date, prev_date, slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO indicator_type_days (training_type, end_date, prev_date, slot, workers)
SELECT training_type, end_date, prev_date, 0, COUNT(*)
FROM (
    SELECT training_type, end_date,
           COALESCE(LAG(end_date) OVER (PARTITION BY training_type, worker_id ORDER BY end_date), '1000-01-01') AS prev_date
    FROM (SELECT DISTINCT training_type, worker_id, end_date FROM trainings
          WHERE status = 'active' AND training_type IN ('gold_blue_collar', 'apprenticeship')) d
) e
GROUP BY training_type, end_date, prev_date;

-- +goose Down
DROP TABLE indicator_type_days;
