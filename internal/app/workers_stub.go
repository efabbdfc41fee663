package app

import (
	"context"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
)

// workerAccounts is replaced by the registry store when it lands.
func workerAccounts(_ *sqlstore.DB, _ *keys.Material) auth.WorkerAccounts { return noWorkers{} }

type noWorkers struct{}

func (noWorkers) WorkerLogin(context.Context, identity.SSN) (auth.WorkerLogin, error) {
	return auth.WorkerLogin{}, errs.NotFound("not_found", "no such worker")
}
