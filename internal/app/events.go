package app

import (
	"time"

	"skillrecord/internal/employment"
	"skillrecord/internal/event"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
)

// wireExchange puts the information exchange with the bureau's other systems into the HTTP
// dependencies: the change-event feed, employment data in and the employment follow-up. The
// relay to NATS is started by serve (it outlives no request).
func wireExchange(d *httpapi.Deps, db *sqlstore.DB, m *keys.Material, now func() time.Time) {
	d.Events = &event.Feed{Store: db.Outbox()}
	d.Employment = &employment.Service{Store: db.Employment(), Directory: db.Workers(m), Now: now}
	d.EmploymentEvaluation = &employment.Evaluator{Store: db.Employment()}
}
