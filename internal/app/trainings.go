package app

import (
	"time"

	"skillrecord/internal/credit"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
)

// wireTrainings puts the training-record use cases into the HTTP dependencies and returns them
// (a worker's record summary reads its trainings through them). records is told after each
// commit which workers' records changed; it may be nil.
func wireTrainings(d *httpapi.Deps, db *sqlstore.DB, m *keys.Material, records training.RecordCache, now func() time.Time) *training.Service {
	svc := &training.Service{
		Store:     db.Trainings(),
		Directory: db.Workers(m),
		Poster:    &credit.Poster{Ledger: db.Ledger(), Rules: credit.DefaultRules(), Now: now},
		Cache:     records,
		Now:       now,
	}
	d.Trainings = svc
	return svc
}
