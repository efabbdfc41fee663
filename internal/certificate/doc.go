// Package certificate holds the skill certificates (职业技能等级证书, 职业资格证书, 专项职业能力证书,
// 培训合格证书) that evaluation organisations and training institutions issue to workers: the
// request shape (Input) and its rules, the domain form (Certificate), who may issue which type
// (MayIssue), revocation, the status a verifier sees on a given day (StatusAt), and the two
// classifications the credit rules and the indicators use (CountsByLevel, IsHighSkill).
//
// Validation reports every bad field at once as errs.FieldError values named by their JSON
// field names; messages never contain the submitted value (SSNs and names are personal data).
//
// The use cases live in Service (service.go, verify.go): issue (real-name check, the
// certificate and its credits in one transaction), revoke (only by the issuer, with a
// compensating credit entry), a worker's list, and verification by number and holder name
// (a wrong name answers like an unknown number; the status is derived on the day of the
// answer). They reach storage, the ledger, the registry and the caches only through the small
// interfaces declared there (Store, Credits, worker.Directory, Lookups, VerificationCache,
// RecordCache, access.Recorder), which the sqlstore, credit and cached packages implement.
//
// A batch (batch.go, batch_sheet.go, service_batch.go) issues up to MaxBatch certificates all
// or nothing with the same rules: ParseBatchJSON reads {certificates:[…]}, ParseBatchSheet a
// clerk's CSV or XLSX through package sheet with the Chinese header and value table of
// batch_sheet.go, and IssueBatch validates every row, runs one registry lookup and commits the
// new certificates and their credits in one transaction (unchanged for a row identical to one
// issued before).
//
// This package must not know about HTTP, SQL, the cache, signing or encryption (no gin, gorm or
// go-redis), nor import package credit (which imports this one for its rules). The types and
// rules read no clock: "today" and "now" are parameters; only Service reads its Now. It has no
// global mutable state.
package certificate
