-- The distinct-worker indicators kept by (type, end date, date before) (see mysql/00037 for
-- what the columns mean; the two files describe the same schema). Dates are stored as the
-- driver writes them, so the first entry's date before is 1000-01-01 in that form.
-- +goose Up
CREATE TABLE indicator_type_days (
    training_type TEXT    NOT NULL,
    end_date      DATE    NOT NULL,
    prev_date     DATE    NOT NULL,
    slot          INTEGER NOT NULL,
    workers       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (training_type, end_date, prev_date, slot)
);

INSERT INTO indicator_type_days (training_type, end_date, prev_date, slot, workers)
SELECT training_type, end_date, prev_date, 0, COUNT(*)
FROM (
    SELECT training_type, end_date,
           COALESCE(LAG(end_date) OVER (PARTITION BY training_type, worker_id ORDER BY end_date), '1000-01-01 00:00:00+00:00') AS prev_date
    FROM (SELECT DISTINCT training_type, worker_id, end_date FROM trainings
          WHERE status = 'active' AND training_type IN ('gold_blue_collar', 'apprenticeship')) d
) e
GROUP BY training_type, end_date, prev_date;

-- +goose Down
DROP TABLE indicator_type_days;
