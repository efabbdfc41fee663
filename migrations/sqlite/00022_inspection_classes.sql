-- Random inspections also draw approved subsidised classes (see mysql/00022).
-- +goose Up
ALTER TABLE inspections ADD COLUMN classes_per_institution INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE inspections DROP COLUMN classes_per_institution;
