package config

import "time"

// Quota holds the limits on lookups that miss: certificate verifications answered 404 and
// share-link opens answered 404 count against the caller's organisation and its client
// address, and wrong check-in codes against the worker, within one fixed window; past a limit
// the caller gets 429 with Retry-After until the window ends. LocalMaxKeys bounds the in-process counters that stand in for Redis when it
// cannot be reached.
type Quota struct {
	Window             time.Duration `setting:"quota.window" env:"SKILLRECORD_QUOTA_WINDOW"`
	VerifyMissesPerOrg int           `setting:"quota.verify_misses_per_org" env:"SKILLRECORD_QUOTA_VERIFY_MISSES_PER_ORG"`
	VerifyMissesPerIP  int           `setting:"quota.verify_misses_per_ip" env:"SKILLRECORD_QUOTA_VERIFY_MISSES_PER_IP"`
	SharedMissesPerOrg int           `setting:"quota.shared_misses_per_org" env:"SKILLRECORD_QUOTA_SHARED_MISSES_PER_ORG"`
	SharedMissesPerIP  int           `setting:"quota.shared_misses_per_ip" env:"SKILLRECORD_QUOTA_SHARED_MISSES_PER_IP"`
	// CheckinMissesPerWorker bounds a worker's wrong class codes (POST /me/checkins answered
	// 422 code_invalid) in one window: a six-digit code is not to be found by trying.
	CheckinMissesPerWorker int `setting:"quota.checkin_misses_per_worker" env:"SKILLRECORD_QUOTA_CHECKIN_MISSES_PER_WORKER"`
	LocalMaxKeys           int `setting:"quota.local_max_keys" env:"SKILLRECORD_QUOTA_LOCAL_MAX_KEYS"`
}

// Shares holds the consent-share settings.
type Shares struct {
	MaxActive int `setting:"shares.max_active" env:"SKILLRECORD_SHARES_MAX_ACTIVE"`
}

// validateQuota checks the quota and share settings; bad is validate's error maker.
func (c *Config) validateQuota(bad func(field, problem string) error) error {
	if c.Quota.Window <= 0 {
		return bad("quota.window", "want a positive duration")
	}
	for key, n := range map[string]int{
		"quota.verify_misses_per_org": c.Quota.VerifyMissesPerOrg, "quota.verify_misses_per_ip": c.Quota.VerifyMissesPerIP,
		"quota.shared_misses_per_org": c.Quota.SharedMissesPerOrg, "quota.shared_misses_per_ip": c.Quota.SharedMissesPerIP,
		"quota.checkin_misses_per_worker":      c.Quota.CheckinMissesPerWorker,
		"auth.max_activation_failures_per_ssn": c.Auth.MaxActivationFailuresPerSSN, "shares.max_active": c.Shares.MaxActive,
	} {
		if n < 1 {
			return bad(key, "want at least 1")
		}
	}
	if c.Quota.LocalMaxKeys < 1000 {
		return bad("quota.local_max_keys", "want at least 1000")
	}
	return nil
}
