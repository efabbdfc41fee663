package app

import (
	"context"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/access"
	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
	"skillrecord/internal/cached"
	"skillrecord/internal/config"
	"skillrecord/internal/dispute"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/org"
	"skillrecord/internal/ratelimit"
	"skillrecord/internal/sqlstore"
)

// orgStatusTTL bounds how long a cached organisation standing may live; invalidation on every
// status change makes it current well before that.
const orgStatusTTL = 5 * time.Minute

// Wire builds the domain services and puts them into the HTTP dependencies. The returned
// function stops the background writers (the access log's and the phone check-ins' group
// committers) after writing what they hold; call it after the HTTP server has drained and before the database closes.
func Wire(d *httpapi.Deps, cfg *config.Config, db *sqlstore.DB, c *cache.Cache, m *keys.Material, reg prometheus.Registerer, log *slog.Logger, now func() time.Time) (stop func()) {
	db.OnAccessEventsWritten(accessEventsCounter(reg))
	// Invalidations that cannot reach Redis are kept in the database and replayed by every
	// instance before it reads Redis again.
	c.UseJournal(context.Background(), db.CacheJournal())
	orgStatuses := cached.NewOrgStatuses(c, db, orgStatusTTL, log)
	staffStore := db.Staff(m)
	staffLogins := cached.NewStaffLogins(c, staffStore, orgStatusTTL, log)
	// Rate limits and quotas count in process while Redis cannot be reached: never fail open.
	localLimits := ratelimit.NewLocal(cfg.Quota.LocalMaxKeys)
	authSvc := &auth.Service{
		Store:       db,
		Workers:     workerAccounts(db, m),
		Tokens:      &auth.Tokens{Keys: m, Issuer: cfg.TokenIssuer(), Audience: cfg.Auth.Audience, TTL: cfg.Auth.AccessTTL, Now: now},
		Revocations: cached.NewRevocations(c, db, cfg.Auth.AccessTTL+time.Minute, log),
		Orgs:        orgStatuses,
		Staff:       staffLogins,
		Throttle:    ratelimit.New(c, localLimits, cfg.Auth.FailureWindow, log, reg, now),
		Limits:      auth.Throttling{PerAccount: cfg.Auth.MaxFailuresPerAccount, PerIP: cfg.Auth.MaxFailuresPerIP},
		RefreshTTL:  cfg.Auth.RefreshTTL,
		AccountKey:  func(name string) string { return hex.EncodeToString(m.Index.Index("throttle", name)[:16]) },
		Now:         now,
	}
	d.Throttling = &httpapi.Throttling{Throttle: authSvc.Throttle, PerIP: cfg.Auth.MaxFailuresPerIP,
		PerSSN: cfg.Auth.MaxActivationFailuresPerSSN, SSNKey: authSvc.AccountKey}
	wireQuotas(d, cfg, c, localLimits, db, reg, log, now)
	d.Auth = authSvc
	d.Tokens = authSvc
	d.Clients = authSvc
	d.Staff = &auth.StaffService{Store: staffStore, Cache: staffLogins, Now: now}
	d.PublicURL = cfg.BaseURL()
	d.JWKS = func() any { return m.JWKS() }
	d.Orgs = &org.Service{Store: db, Cache: orgStatuses, Now: now}
	wireWorkers(d, db, m)
	records := cached.NewRecords(c, recordSources(db, m), recordTTL, m.Data, log, httpapi.RenderRecord, now)
	d.Records = records
	d.RecordPrefetch = records.Prefetch
	wireCredits(d, db, m, records, now)
	trainings := wireTrainings(d, db, m, records, now)
	classes := wireClasses(d, cfg, db, m, trainings, records, now)
	vouchers := wireVouchers(d, cfg, db, m, classes, now)
	claims := wireClaims(d, cfg, db, c, localLimits, m, records, reg, log, now)
	claims.Vouchers = vouchers
	wireDisputes(d, db, trainings, claims, records, now)
	d.Disputes.(*dispute.Service).Vouchers = vouchers
	checkins := wireCheckins(d, cfg, db, m, now)
	// Verifications are the hot path: their access events are committed before the answer,
	// concurrent ones sharing one multi-row insert (group commit).
	verificationAccess := access.NewCommitter(db.Access(m), cfg.Access.Committers, 500, 2_000)
	wireCertificates(d, db, c, m, records, verificationAccess, log, now)
	wireShares(d, cfg, db, m, records, log, now)
	wireReports(d, db, now)
	wireExchange(d, db, m, now)
	wireAudit(d, db, m, records, now)
	return func() {
		verificationAccess.Close()
		checkins.Close()
	}
}
