-- Subsidised training classes, their sessions, rosters, attendance and supervision flags, and
-- the class link of training records. See mysql/00020_classes.sql for what the columns mean;
-- the two files describe the same schema.
-- +goose Up
CREATE TABLE classes (
    id                TEXT     NOT NULL PRIMARY KEY,
    institution_id    TEXT     NOT NULL,
    external_id       TEXT     NOT NULL,
    filing_digest     BLOB     NOT NULL,
    course_name       TEXT     NOT NULL,
    training_type     TEXT     NOT NULL,
    occupation_code   TEXT     NOT NULL,
    occupation_name   TEXT     NOT NULL DEFAULT '',
    level             INTEGER  NULL,
    subsidy_item      TEXT     NOT NULL,
    hours             INTEGER  NOT NULL,
    start_date        DATE     NOT NULL,
    end_date          DATE     NOT NULL,
    location          TEXT     NOT NULL,
    teacher           TEXT     NOT NULL,
    capacity          INTEGER  NOT NULL,
    roster_size       INTEGER  NOT NULL,
    status            TEXT     NOT NULL,
    late_filing       INTEGER  NOT NULL DEFAULT 0,
    review_reason     TEXT     NOT NULL DEFAULT '',
    reviewed_at       DATETIME NULL,
    cancel_reason     TEXT     NOT NULL DEFAULT '',
    cancelled_at      DATETIME NULL,
    completed_at      DATETIME NULL,
    completion_digest BLOB     NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_classes_institution_external ON classes (institution_id, external_id);
CREATE INDEX idx_classes_institution_created ON classes (institution_id, created_at);
CREATE INDEX idx_classes_status_start ON classes (status, start_date);
CREATE INDEX idx_classes_created ON classes (created_at);

CREATE TABLE class_sessions (
    class_id     TEXT NOT NULL,
    session_date DATE NOT NULL,
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    PRIMARY KEY (class_id, session_date)
);
CREATE INDEX idx_class_sessions_date ON class_sessions (session_date);

CREATE TABLE class_roster (
    class_id  TEXT     NOT NULL,
    worker_id TEXT     NOT NULL,
    seq       INTEGER  NOT NULL,
    added_at  DATETIME NOT NULL,
    PRIMARY KEY (class_id, worker_id)
);
CREATE INDEX idx_class_roster_worker ON class_roster (worker_id);

CREATE TABLE class_checkins (
    id            TEXT     NOT NULL PRIMARY KEY,
    class_id      TEXT     NOT NULL,
    worker_id     TEXT     NOT NULL,
    session_date  DATE     NOT NULL,
    checked_in_at DATETIME NOT NULL,
    method        TEXT     NOT NULL,
    created_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX uk_class_checkins_session ON class_checkins (class_id, worker_id, session_date);
CREATE INDEX idx_class_checkins_worker_date ON class_checkins (worker_id, session_date);

CREATE TABLE supervision_flags (
    id         TEXT     NOT NULL PRIMARY KEY,
    kind       TEXT     NOT NULL,
    class_id   TEXT     NOT NULL,
    worker_id  TEXT     NULL,
    at         DATETIME NOT NULL,
    detail     TEXT     NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_supervision_flags_at ON supervision_flags (at, id);
CREATE INDEX idx_supervision_flags_class_at ON supervision_flags (class_id, at);
CREATE INDEX idx_supervision_flags_kind_at ON supervision_flags (kind, at);

ALTER TABLE trainings ADD COLUMN class_id TEXT NULL;
ALTER TABLE trainings ADD COLUMN attendance_rate REAL NULL;
CREATE INDEX idx_trainings_class ON trainings (class_id);

-- +goose Down
DROP INDEX idx_trainings_class;
ALTER TABLE trainings DROP COLUMN attendance_rate;
ALTER TABLE trainings DROP COLUMN class_id;
DROP TABLE supervision_flags;
DROP TABLE class_checkins;
DROP TABLE class_roster;
DROP TABLE class_sessions;
DROP TABLE classes;
