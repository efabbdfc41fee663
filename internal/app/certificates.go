package app

import (
	"log/slog"
	"time"

	"skillrecord/internal/access"
	"skillrecord/internal/cache"
	"skillrecord/internal/cached"
	"skillrecord/internal/certificate"
	"skillrecord/internal/credit"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
)

// verificationTTL bounds how long cached verification facts live. Issues and revocations
// forget their number's entry after the commit, so the ttl only limits memory and the window
// in which an invalidation that failed (Redis unreachable) can leave a stale entry behind.
const verificationTTL = 5 * time.Minute

// wireCertificates puts the certificate use cases (issue, revoke, the worker's list) and
// verification, read through the sealed verification cache, into the HTTP dependencies. records
// is told about the holders whose certificates changed; each successful verification leaves
// an access event for the holder. It returns the service, whose AllForWorker the worker record
// summary can read.
func wireCertificates(d *httpapi.Deps, db *sqlstore.DB, c *cache.Cache, m *keys.Material, records certificate.RecordCache, accessLog access.Recorder, log *slog.Logger, now func() time.Time) *certificate.Service {
	store := db.Certificates(m)
	verifications := cached.NewVerifications(c, store, verificationTTL, m.Data, log)
	svc := &certificate.Service{
		Store:         store,
		Credits:       credit.CertificatePoster{Poster: &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: now}},
		Directory:     db.Workers(m),
		Lookups:       verifications,
		Verifications: verifications,
		Records:       records,
		Access:        accessLog, // the holder sees every verification in the access log
		Now:           now,
	}
	d.VerifyPrefetch = verifications.Prefetch
	d.Certificates = svc
	d.Verifier = svc
	return svc
}
