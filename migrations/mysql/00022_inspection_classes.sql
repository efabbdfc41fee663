-- Random inspections also draw approved subsidised classes: the number asked for per
-- institution. The drawn class ids live in the sample's JSON beside the record ids
-- ("class_candidates", "class_ids"); samples drawn before have neither, and 0 here.
-- +goose Up
ALTER TABLE inspections ADD COLUMN classes_per_institution INT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE inspections DROP COLUMN classes_per_institution;
