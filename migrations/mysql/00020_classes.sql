-- Subsidised training classes (补贴性培训班): the filing, its sessions and its roster, the
-- attendance recorded for it and the supervision flags (监督标记) raised about it. Like the
-- training records, no table here holds an SSN or a name: a roster member, a check-in and a
-- flag name their worker by the registry's opaque worker_id (the real-name check resolves it).
--
-- classes.filing_digest is the SHA-256 of the filing as first posted (the idempotency
-- comparison of external_id); roster_size is kept with the roster. Session dates and HH:MM
-- times are the bureau's local time (setting time_zone); instants are UTC.
--
-- trainings gains the class a record was completed from and the trainee's attendance rate
-- (a fraction 0–1).
-- +goose Up
CREATE TABLE classes (
    id                CHAR(36)     NOT NULL,
    institution_id    CHAR(36)     NOT NULL,
    external_id       VARCHAR(64)  NOT NULL,
    filing_digest     BINARY(32)   NOT NULL,
    course_name       VARCHAR(200) NOT NULL,
    training_type     VARCHAR(32)  NOT NULL,
    occupation_code   VARCHAR(16)  NOT NULL,
    occupation_name   VARCHAR(100) NOT NULL DEFAULT '',
    level             TINYINT      NULL,
    subsidy_item      VARCHAR(64)  NOT NULL,
    hours             SMALLINT     NOT NULL,
    start_date        DATE         NOT NULL,
    end_date          DATE         NOT NULL,
    location          VARCHAR(200) NOT NULL,
    teacher           VARCHAR(50)  NOT NULL,
    capacity          SMALLINT     NOT NULL,
    roster_size       SMALLINT     NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    late_filing       BOOLEAN      NOT NULL DEFAULT FALSE,
    review_reason     VARCHAR(500) NOT NULL DEFAULT '',
    reviewed_at       DATETIME(6)  NULL,
    cancel_reason     VARCHAR(500) NOT NULL DEFAULT '',
    cancelled_at      DATETIME(6)  NULL,
    completed_at      DATETIME(6)  NULL,
    completion_digest BINARY(32)   NULL,
    created_at        DATETIME(6)  NOT NULL,
    updated_at        DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_classes_institution_external (institution_id, external_id),
    KEY idx_classes_institution_created (institution_id, created_at),
    KEY idx_classes_status_start (status, start_date),
    KEY idx_classes_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One session a date: the date names the session (check-ins are per session_date).
CREATE TABLE class_sessions (
    class_id     CHAR(36) NOT NULL,
    session_date DATE     NOT NULL,
    starts_at    CHAR(5)  NOT NULL,
    ends_at      CHAR(5)  NOT NULL,
    PRIMARY KEY (class_id, session_date),
    KEY idx_class_sessions_date (session_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE class_roster (
    class_id  CHAR(36)    NOT NULL,
    worker_id CHAR(36)    NOT NULL,
    seq       INT         NOT NULL,
    added_at  DATETIME(6) NOT NULL,
    PRIMARY KEY (class_id, worker_id),
    KEY idx_class_roster_worker (worker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Attendance: one check-in per worker, class and session; method is card_reader,
-- face_device, sign_sheet, manual (institution) or phone (the rotating class code).
CREATE TABLE class_checkins (
    id            CHAR(36)    NOT NULL,
    class_id      CHAR(36)    NOT NULL,
    worker_id     CHAR(36)    NOT NULL,
    session_date  DATE        NOT NULL,
    checked_in_at DATETIME(6) NOT NULL,
    method        VARCHAR(16) NOT NULL,
    created_at    DATETIME(6) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uk_class_checkins_session (class_id, worker_id, session_date),
    KEY idx_class_checkins_worker_date (worker_id, session_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Supervision flags (监督标记): late_filing, outside_session, not_on_roster, overlap,
-- code_invalid. worker_id is NULL for a flag about the class as a whole.
CREATE TABLE supervision_flags (
    id         CHAR(36)     NOT NULL,
    kind       VARCHAR(32)  NOT NULL,
    class_id   CHAR(36)     NOT NULL,
    worker_id  CHAR(36)     NULL,
    at         DATETIME(6)  NOT NULL,
    detail     VARCHAR(500) NOT NULL DEFAULT '',
    created_at DATETIME(6)  NOT NULL,
    PRIMARY KEY (id),
    KEY idx_supervision_flags_at (at, id),
    KEY idx_supervision_flags_class_at (class_id, at),
    KEY idx_supervision_flags_kind_at (kind, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE trainings
    ADD COLUMN class_id        CHAR(36)     NULL,
    ADD COLUMN attendance_rate DECIMAL(5,4) NULL,
    ADD KEY idx_trainings_class (class_id);

-- +goose Down
ALTER TABLE trainings DROP KEY idx_trainings_class, DROP COLUMN attendance_rate, DROP COLUMN class_id;
DROP TABLE supervision_flags;
DROP TABLE class_checkins;
DROP TABLE class_roster;
DROP TABLE class_sessions;
DROP TABLE classes;
