-- Skill certificates (职业技能等级证书, 职业资格证书, 专项职业能力证书, 培训合格证书) issued by
-- evaluation organisations and training institutions. certificate_no is unique across the city.
-- status is valid or revoked; expired is derived from valid_until on the day a reader asks and
-- never stored. The holder is named by worker_id; the holder's name (in the registry's normal
-- form) is kept sealed in name_enc (AES-256-GCM, associated data "certificates.name") for the
-- masked name of verification answers, and as a blind index in name_index (the registry's
-- "name" domain) for comparing the name a verifier posts. No SSN is stored here.
-- +goose Up
CREATE TABLE certificates (
    certificate_no  VARCHAR(32)    NOT NULL,
    worker_id       CHAR(36)       NOT NULL,
    issuer_org_id   CHAR(36)       NOT NULL,
    type            VARCHAR(32)    NOT NULL,
    occupation_code VARCHAR(16)    NOT NULL,
    occupation_name VARCHAR(100)   NOT NULL,
    level           TINYINT        NULL,
    issued_on       DATE           NOT NULL,
    valid_until     DATE           NULL,
    status          VARCHAR(16)    NOT NULL,
    revoke_reason   VARCHAR(500)   NOT NULL DEFAULT '',
    revoked_at      DATETIME(6)    NULL,
    name_index      BINARY(32)     NOT NULL,
    name_enc        VARBINARY(512) NOT NULL,
    created_at      DATETIME(6)    NOT NULL,
    PRIMARY KEY (certificate_no),
    KEY idx_certificates_worker_occupation (worker_id, occupation_code),
    KEY idx_certificates_issued (issued_on, type, level),
    KEY idx_certificates_issuer (issuer_org_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE certificates;
