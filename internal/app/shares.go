package app

import (
	"log/slog"
	"time"

	"skillrecord/internal/config"
	"skillrecord/internal/credential"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/share"
	"skillrecord/internal/sqlstore"
)

// wireShares puts the consent shares and the signed credentials into the HTTP dependencies.
// Share links and the credentials' issuer use the public base URL; the shared record view is
// read through records (the cached summary); reads through shares and credential status checks
// are recorded in the access log.
func wireShares(d *httpapi.Deps, cfg *config.Config, db *sqlstore.DB, m *keys.Material, records share.Records, _ *slog.Logger, now func() time.Time) {
	accessLog := db.Access(m)
	certs := db.Certificates(m)
	d.Shares = &share.Service{
		Store: db.Shares(), Orgs: db, Records: records, Certificates: certs,
		Access: accessLog, BaseURL: cfg.BaseURL(), Now: now, MaxActive: cfg.Shares.MaxActive,
	}
	d.Credentials = &credential.Service{
		Keys: m, Certificates: certs, Workers: db.Workers(m), Access: accessLog,
		BaseURL: cfg.BaseURL(), IssuerName: cfg.Credential.IssuerName, Now: now,
	}
}
