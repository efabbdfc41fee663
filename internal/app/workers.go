package app

import (
	"skillrecord/internal/auth"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/worker"
)

// workerAccounts is the registry store seen by the password grant: activated workers by SSN.
func workerAccounts(db *sqlstore.DB, m *keys.Material) auth.WorkerAccounts { return db.Workers(m) }

// wireWorkers puts the cardholder registry and worker activation into the HTTP dependencies.
func wireWorkers(d *httpapi.Deps, db *sqlstore.DB, m *keys.Material) {
	svc := worker.NewService(db.Workers(m))
	d.Cardholders = svc
	d.Workers = svc
}
