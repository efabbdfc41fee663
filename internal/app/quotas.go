package app

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/cache"
	"skillrecord/internal/config"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/ratelimit"
	"skillrecord/internal/sqlstore"
)

// wireQuotas puts the quotas on lookups that miss (certificate verifications, share-link
// opens, wrong check-in codes) into the HTTP dependencies. Their counters live in Redis and,
// while Redis cannot be reached, in local; a caller's first excess in a window is appended to the audit trail.
func wireQuotas(d *httpapi.Deps, cfg *config.Config, c *cache.Cache, local *ratelimit.Local, db *sqlstore.DB, reg prometheus.Registerer, log *slog.Logger, now func() time.Time) {
	q := cfg.Quota
	d.Quotas = &httpapi.Quotas{
		Counter: ratelimit.NewQuota(c, local, q.Window, log, reg, now),
		Audit:   db.Audit(),
		Verify:  httpapi.QuotaLimits{PerOrg: q.VerifyMissesPerOrg, PerIP: q.VerifyMissesPerIP},
		Shared:  httpapi.QuotaLimits{PerOrg: q.SharedMissesPerOrg, PerIP: q.SharedMissesPerIP},
		Checkin: q.CheckinMissesPerWorker,
		Now:     now,
	}
}
