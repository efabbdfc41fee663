package app

import (
	"time"

	"skillrecord/internal/httpapi"
	"skillrecord/internal/indicator"
	"skillrecord/internal/inspection"
	"skillrecord/internal/sqlstore"
)

// wireReports puts the bureau's reports — the indicator table (专栏1), random inspections and
// institutions' figures — into the HTTP dependencies.
func wireReports(d *httpapi.Deps, db *sqlstore.DB, now func() time.Time) {
	reports := &indicator.Service{Store: db.Reports(), Table: indicator.DefaultTable()}
	d.Indicators = reports
	d.OrgStats = reports
	d.Inspections = &inspection.Service{Store: db.Inspections(), Now: now}
}
