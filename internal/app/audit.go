package app

import (
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/cached"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
)

// wireAudit puts the audit trail, the access log and the bureau's audited access to a
// worker's record and ledger into the HTTP dependencies. Every other reader of a worker's
// data should record through db.Access(m) too (shares, credentials, verification), so that
// the worker's access log is complete and its purposes sealed.
func wireAudit(d *httpapi.Deps, db *sqlstore.DB, m *keys.Material, records *cached.Records, now func() time.Time) {
	accessLog := db.Access(m)
	d.Audit = db.Audit()
	d.AccessLog = accessLog
	d.AdminAccess = &audit.AdminAccess{
		Workers: db.Workers(m), Records: records, Ledger: db.Ledger(), Access: accessLog, Now: now,
	}
}
