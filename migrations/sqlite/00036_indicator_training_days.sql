-- The indicator table's record counts by day (see mysql/00036 for what the columns mean; the
-- two files describe the same schema).
-- +goose Up
CREATE TABLE indicator_training_days (
    end_date         DATE    NOT NULL,
    slot             INTEGER NOT NULL,
    subsidized       INTEGER NOT NULL DEFAULT 0,
    migrant          INTEGER NOT NULL DEFAULT 0,
    entrepreneurship INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (end_date, slot)
);

INSERT INTO indicator_training_days (end_date, slot, subsidized, migrant, entrepreneurship)
SELECT end_date, 0,
       SUM(CASE WHEN subsidized = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN subsidized = 1 AND (trainee_groups & 1) <> 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN training_type = 'entrepreneurship' THEN 1 ELSE 0 END)
FROM trainings
WHERE status = 'active'
GROUP BY end_date;

DROP INDEX idx_trainings_indicator_subsidy;

-- +goose Down
CREATE INDEX idx_trainings_indicator_subsidy ON trainings (subsidized, status, end_date, trainee_groups);
DROP TABLE indicator_training_days;
