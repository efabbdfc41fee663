package credit

import (
	"skillrecord/configs"
	"skillrecord/internal/certificate"
)

// Rules are a version of the skill-credit rules (configs/credit-rules.yaml). Build them with
// ParseRules or DefaultRules; they cannot change afterwards, so one value can serve every
// request. Each ledger entry stores the Version of the rules that produced it.
type Rules struct {
	// Version names this set of rules, e.g. "2026-1".
	Version string

	hoursPerCredit int    // a passed training earns 1 credit per this many hours
	maxPerRecord   Tenths // cap per training record
	failed         Tenths // what a failed training earns
	certs          map[string]certRule
}

// certRule is what one certificate type earns: by level (index 1–5) or a fixed amount.
type certRule struct {
	byLevel bool
	levels  [certificate.MaxLevel + 1]Tenths
	fixed   Tenths
}

// DefaultRules returns the rules built into the binary (configs/credit-rules.yaml). It panics
// if that file is invalid, which a test guards against; each call returns a fresh value.
func DefaultRules() *Rules {
	r, err := ParseRules(configs.CreditRulesYAML)
	if err != nil {
		panic("credit: the built-in credit-rules.yaml is invalid: " + err.Error())
	}
	return r
}

// TrainingCredits returns what a training record of hours earns: when passed, 1 credit per
// hours-per-credit hours rounded down to 0.1 and capped per record (default: 40 h → 2.5,
// 17 h → 1.0, 15 h → 0.9, 2000 h → 10); when failed, the failed amount (default 0).
func (r *Rules) TrainingCredits(hours int, passed bool) Tenths {
	if !passed {
		return r.failed
	}
	if hours <= 0 {
		return 0
	}
	t := Tenths(int64(hours) * 10 / int64(r.hoursPerCredit))
	return min(t, r.maxPerRecord)
}

// CertificateCredits returns what one certificate of certType and level is worth: by level for
// the types that count by level (0 for a level outside 1–5), a fixed amount for the others
// (level ignored), and 0 for an unknown type. For the by-level types the ledger does not post
// this value directly: see OccupationTarget.
func (r *Rules) CertificateCredits(certType string, level int) Tenths {
	rule, ok := r.certs[certType]
	switch {
	case !ok:
		return 0
	case !rule.byLevel:
		return rule.fixed
	case level < certificate.MinLevel || level > certificate.MaxLevel:
		return 0
	}
	return rule.levels[level]
}

// HeldCertificate is one certificate a worker holds, as OccupationTarget needs it.
type HeldCertificate struct {
	Type  string
	Level int
	// Valid means "not revoked". An expired certificate still counts: expiry does not take
	// credits back (docs/domain.md), so callers must not pass StatusAt(...) == "valid" here.
	Valid bool
}

// OccupationTarget returns what a worker's by-level certificates of one occupation are worth
// together: the value of the highest valid (not revoked) one, or 0 if there is none. certs are
// the worker's certificates of that one occupation; types that do not count by level are
// ignored (they earn their fixed amount each, outside this rule).
//
// After any issue or revocation in an occupation the ledger posts the difference between this
// target and the certificate credits already posted for the occupation: L5 then L3 posts +5
// then +15; revoking that L3 posts −15; revoking the L5 while the L3 stands posts 0.
func (r *Rules) OccupationTarget(certs []HeldCertificate) Tenths {
	var best Tenths
	for _, c := range certs {
		if c.Valid && certificate.CountsByLevel(c.Type) {
			best = max(best, r.CertificateCredits(c.Type, c.Level))
		}
	}
	return best
}
