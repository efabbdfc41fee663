package app

import (
	"time"

	"skillrecord/internal/class"
	"skillrecord/internal/config"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
)

// wireClasses puts the subsidised training class use cases into the HTTP dependencies: the
// catalogue built into the binary, the cardholder registry for the real-name checks, and the
// bureau's time zone for session dates and times. A completion posts its records through
// trainings; records is told whose record changed. It returns the service.
func wireClasses(d *httpapi.Deps, cfg *config.Config, db *sqlstore.DB, m *keys.Material, trainings *training.Service, records class.RecordCache, now func() time.Time) *class.Service {
	svc := &class.Service{
		Store:     db.Classes(m),
		Directory: db.Workers(m),
		Catalogue: class.DefaultCatalogue(),
		Trainings: trainings,
		Cache:     records,
		Access:    db.Access(m), // the bureau's reads of a class or a flag are in the workers' access log
		Location:  cfg.Location(),
		Now:       now,
	}
	d.Classes = svc
	return svc
}
