-- The indicator table's record counts, kept by day as records are written, so that the
-- indicators read a few thousand small rows instead of scanning every record of the period
-- (with 5 million records the scan no longer fits MariaDB's default buffer pool).
--
-- indicator_training_days holds, for each end date, the active (non-void) records ending that
-- day: subsidized (subsidised ones), migrant (subsidised ones with the migrant-worker bit, 1,
-- of trainee_groups) and entrepreneurship (training_type entrepreneurship). The counts of a day
-- are spread over slots (0–15): a transaction adds to one slot chosen at random, so that
-- concurrent batches rarely wait for each other's rows; a day's count is the sum of its
-- slots. Every write of trainings keeps it in the same transaction (TrainingStore:
-- CreateTrainings adds the active records it inserts, SaveVoid takes away the record it voids).
--
-- idx_trainings_indicator_subsidy was read only by the subsidy count that this replaces: it
-- goes, one B-tree less for every record a batch inserts.
-- +goose Up
CREATE TABLE indicator_training_days (
    end_date         DATE             NOT NULL,
    slot             TINYINT UNSIGNED NOT NULL,
    subsidized       BIGINT           NOT NULL DEFAULT 0,
    migrant          BIGINT           NOT NULL DEFAULT 0,
    entrepreneurship BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (end_date, slot)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO indicator_training_days (end_date, slot, subsidized, migrant, entrepreneurship)
SELECT end_date, 0,
       SUM(CASE WHEN subsidized = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN subsidized = 1 AND (trainee_groups & 1) <> 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN training_type = 'entrepreneurship' THEN 1 ELSE 0 END)
FROM trainings
WHERE status = 'active'
GROUP BY end_date;

DROP INDEX idx_trainings_indicator_subsidy ON trainings;

-- +goose Down
CREATE INDEX idx_trainings_indicator_subsidy ON trainings (subsidized, status, end_date, trainee_groups);
DROP TABLE indicator_training_days;
