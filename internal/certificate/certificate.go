package certificate

import (
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/text"
)

// Date is the civil-date type of the domain (civil.Date): "YYYY-MM-DD" in JSON, no time
// zone. It is an alias so that certificates and training records share one date type.
type Date = civil.Date

// Certificate types.
const (
	TypeSkillLevel              = "skill_level"              // 职业技能等级证书: earns by level
	TypeVocationalQualification = "vocational_qualification" // 职业资格证书: earns by level
	TypeSpecialAbility          = "special_ability"          // 专项职业能力证书
	TypeTraining                = "training"                 // 培训合格证书
)

// Certificate statuses. Storage keeps valid or revoked; expired is derived from the date by
// StatusAt and never stored.
const (
	StatusValid   = "valid"
	StatusRevoked = "revoked"
	StatusExpired = "expired"
)

// Levels: 5 初级工, 4 中级工, 3 高级工, 2 技师, 1 高级技师. Levels 1–3 are 高技能人才.
const (
	MinLevel          = 1
	MaxLevel          = 5
	MaxHighSkillLevel = 3
)

// typeList holds the types in their canonical order (an array, so no caller can change it).
var typeList = [...]string{TypeSkillLevel, TypeVocationalQualification, TypeSpecialAbility, TypeTraining}

// Types returns the four certificate types in their canonical order (a fresh slice).
func Types() []string { return append([]string(nil), typeList[:]...) }

// IsType reports whether s is one of the certificate types, spelled exactly.
func IsType(s string) bool {
	for _, t := range typeList {
		if t == s {
			return true
		}
	}
	return false
}

// Certificate is a validated certificate, the domain form. No is the canonical (upper-case)
// number, unique across the service.
type Certificate struct {
	No             string       // 6–32 of A-Z, 0-9 and '-'
	SSN            identity.SSN // the holder
	Name           string       // the holder's name (real-name check)
	Type           string       // one of Types()
	OccupationCode string       // 国家职业分类大典 code, d-dd-dd-dd
	OccupationName string
	Level          *int  // 1–5; always set for the types that count by level
	IssuedOn       Date  // ≤ the day of issue
	ValidUntil     *Date // optional; after IssuedOn
	Status         string
	IssuerOrgID    string     // the issuing organisation; set by the caller, not by Validate
	RevokedAt      *time.Time // set with Status revoked
	RevokeReason   string
}

// CountsByLevel reports whether certificates of certType earn credits by level, with only the
// highest valid one per occupation counting (skill_level, vocational_qualification). These are
// also the types that the indicators count as 职业资格证书或职业技能等级证书.
func CountsByLevel(certType string) bool {
	return certType == TypeSkillLevel || certType == TypeVocationalQualification
}

// IsHighSkill reports whether a certificate of certType and level makes its holder a
// high-skill worker (高技能人才): a type that counts by level, at level 1, 2 or 3.
func IsHighSkill(certType string, level int) bool {
	return CountsByLevel(certType) && level >= MinLevel && level <= MaxHighSkillLevel
}

// StatusAt returns the status a verifier sees on day: revoked if the certificate was revoked
// (revocation wins), expired if it has a ValidUntil before day (it is still valid on that last
// day), valid otherwise.
func StatusAt(c Certificate, day Date) string {
	switch {
	case c.Revoked():
		return StatusRevoked
	case c.ValidUntil != nil && c.ValidUntil.Before(day):
		return StatusExpired
	}
	return StatusValid
}

// Revoked reports whether c has been revoked.
func (c Certificate) Revoked() bool { return c.Status == StatusRevoked || c.RevokedAt != nil }

// Revoke returns c revoked at time at for reason, which must be 1–500 characters without
// control characters (trimmed). Revoking a revoked certificate is a conflict
// (already_revoked); an expired one may still be revoked.
func (c Certificate) Revoke(reason string, at time.Time) (Certificate, error) {
	if c.Revoked() {
		return c, errs.Conflict(CodeAlreadyRevoked, "the certificate is already revoked")
	}
	r, ok := text.Clean(reason, maxReason)
	switch {
	case !ok:
		return c, errs.Invalid(CodeInvalidReason, "reason must be 1 to %d characters without control characters", maxReason).
			WithFields(errs.Field("reason", CodeInvalidReason, "must be 1 to 500 characters without control characters"))
	case r == "":
		return c, errs.Invalid(CodeRequired, "a revocation needs a reason").
			WithFields(errs.Field("reason", CodeRequired, "reason is required"))
	}
	at = at.UTC()
	c.Status, c.RevokedAt, c.RevokeReason = StatusRevoked, &at, r
	return c, nil
}

// The organisation roles that may issue certificates (the organisation types of docs/domain.md).
const (
	roleEvaluationOrg       = "evaluation_org"
	roleTrainingInstitution = "training_institution"
)

// MayIssue reports whether a principal of role may issue (and so revoke its own) certificates
// of certType: an evaluation organisation any type, a training institution only training
// certificates (培训合格证书). It returns nil when allowed; errs.Forbidden with code
// certificate_type_not_allowed for a training institution and another type; errs.Forbidden
// (forbidden) for every other role; and errs.Invalid (invalid_certificate_type) for a type that
// does not exist.
func MayIssue(role string, certType string) error {
	if !IsType(certType) {
		return errs.Invalid(CodeInvalidType, "type must be one of skill_level, vocational_qualification, special_ability and training")
	}
	switch role {
	case roleEvaluationOrg:
		return nil
	case roleTrainingInstitution:
		if certType == TypeTraining {
			return nil
		}
		return errs.Forbidden(CodeCertificateTypeNotAllowed, "a training institution may issue only training certificates")
	}
	return errs.Forbidden("forbidden", "this caller may not issue certificates")
}
