package app

import (
	"time"

	"skillrecord/internal/credit"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
)

// recordTTL bounds a cached record summary; every write that touches a worker invalidates it
// after its commit, so the ttl only limits memory.
const recordTTL = 10 * time.Minute

// wireCredits puts the ledger reader and the college conversions into the HTTP dependencies.
func wireCredits(d *httpapi.Deps, db *sqlstore.DB, m *keys.Material, records credit.RecordCache, now func() time.Time) {
	poster := &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: now}
	d.Credits = db.Ledger()
	d.Conversions = &credit.Converter{Store: db, Directory: db.Workers(m), Poster: poster, Cache: records, Now: now}
}
