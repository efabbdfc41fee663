package auth

import (
	"context"

	"skillrecord/internal/identity"
)

// WorkerLogin is what the password grant needs to know of an activated worker.
type WorkerLogin struct {
	WorkerID     string // opaque id
	PasswordHash string
}

// WorkerAccounts finds activated workers by SSN. WorkerLogin returns an errs NotFound error
// when no activated worker holds the SSN.
type WorkerAccounts interface {
	WorkerLogin(ctx context.Context, ssn identity.SSN) (WorkerLogin, error)
}
