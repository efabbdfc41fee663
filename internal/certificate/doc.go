// Package certificate holds the skill certificates (职业技能等级证书, 职业资格证书, 专项职业能力证书,
// 培训合格证书) that evaluation organisations and training institutions issue to workers: the
// request shape (Input) and its rules, the domain form (Certificate), who may issue which type
// (MayIssue), revocation, the status a verifier sees on a given day (StatusAt), and the two
// classifications the credit rules and the indicators use (CountsByLevel, IsHighSkill).
//
// Validation reports every bad field at once as errs.FieldError values named by their JSON
// field names; messages never contain the submitted value (SSNs and names are personal data).
//
// This package is types and rules only. It must not know about HTTP, SQL, the cache, signing
// or encryption (no gin, gorm or go-redis), nor about credits, the cardholder registry or who
// owns which certificate in storage: the service and store layers that call it do. It has no
// global mutable state and reads no clock: "today" and "now" are always parameters.
package certificate
