// Package indicator is the bureau's reporting: the plan's indicator table (专栏1) computed for
// a period, and an institution's performance figures (绩效评估) for a period.
//
// It decides what each figure counts — which records, which workers, which certificates and
// designations, as of which date — and turns the raw counts into the table's units and the
// met/not-met verdict against configs/indicators.yaml. Counting itself is the Store's job: a
// few aggregate queries over the whole city, never a scan in Go.
//
// The rules, fixed here and documented in docs/domain.md's table:
//   - 人次 (person-times) counts records; 人 counts distinct workers. A worker with two
//     gold_blue_collar trainings in the period is one 人 and two 人次.
//   - Training rows count records that are not void and whose end_date is in the period.
//   - high_skill_talent is a stock taken at the end of the period's last day (China Standard
//     Time): distinct workers holding a skill_level or vocational_qualification certificate of
//     level 1–3 issued on or before the end date, not expired then (valid_until, when given,
//     on or after the end date) and not revoked by then (revoked_at, when set, after the end
//     of the end date).
//   - new_certificates counts skill_level and vocational_qualification certificates issued
//     in the period and not revoked as of the end of the period (a certificate revoked later
//     still counted when the period closed); expiry does not matter for a count of issues.
//     new_high_skill is those of level 1–3.
//   - designation rows count designations granted in the period, whatever the organisation's
//     status today; master_studios adds provincial and national master studios.
//
// This package must not know HTTP, SQL or the cache.
package indicator
