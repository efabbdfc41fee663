package app

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/cache"
	"skillrecord/internal/claim"
	"skillrecord/internal/class"
	"skillrecord/internal/config"
	"skillrecord/internal/fund"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/ratelimit"
	"skillrecord/internal/sqlstore"
)

// wireClaims puts the subsidy claim use cases into the HTTP dependencies: the built-in
// catalogue, the notice period and repeat window settings, and an hour's per-address counter
// for the public objections (counted in process while Redis is down, like every limit).
func wireClaims(d *httpapi.Deps, cfg *config.Config, db *sqlstore.DB, c *cache.Cache, local *ratelimit.Local, m *keys.Material, records class.RecordCache, reg prometheus.Registerer, log *slog.Logger, now func() time.Time) *claim.Service {
	svc := &claim.Service{
		Store:             db.Claims(m),
		Catalogue:         d.Classes.SubsidyCatalogue(),
		NoticePeriod:      cfg.Subsidy.NoticePeriod,
		RepeatWindowYears: cfg.Subsidy.RepeatWindowYears,
		Cache:             records,
		Location:          cfg.Location(),
		Now:               now,
	}
	funds := db.Funds()
	svc.Funds = funds
	d.Claims, d.Disburser = svc, svc
	d.Funds = &fund.Service{Store: funds, Now: now, Location: cfg.Location()}
	d.ObjectionLimit = ratelimit.New(c, local, time.Hour, log, reg, now)
	return svc
}
