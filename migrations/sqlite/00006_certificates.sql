-- Skill certificates issued by evaluation organisations and training institutions. See
-- mysql/00006_certificates.sql for what the columns mean; the two files describe the same schema.
-- +goose Up
CREATE TABLE certificates (
    certificate_no  TEXT     NOT NULL PRIMARY KEY,
    worker_id       TEXT     NOT NULL,
    issuer_org_id   TEXT     NOT NULL,
    type            TEXT     NOT NULL,
    occupation_code TEXT     NOT NULL,
    occupation_name TEXT     NOT NULL,
    level           INTEGER  NULL,
    issued_on       DATE     NOT NULL,
    valid_until     DATE     NULL,
    status          TEXT     NOT NULL,
    revoke_reason   TEXT     NOT NULL DEFAULT '',
    revoked_at      DATETIME NULL,
    name_index      BLOB     NOT NULL,
    name_enc        BLOB     NOT NULL,
    created_at      DATETIME NOT NULL
);
CREATE INDEX idx_certificates_worker_occupation ON certificates (worker_id, occupation_code);
CREATE INDEX idx_certificates_issued ON certificates (issued_on, type, level);
CREATE INDEX idx_certificates_issuer ON certificates (issuer_org_id);

-- +goose Down
DROP TABLE certificates;
