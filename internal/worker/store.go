package worker

import (
	"context"
	"time"

	"skillrecord/internal/identity"
)

// Store keeps the registry. Package sqlstore implements it; personal data is sealed and blind
// indexed there, so that every value this interface passes is plain and canonical.
type Store interface {
	// UpdateRegistry runs one unit of work in a transaction: it loads the registered workers
	// whose SSN is in ssns (with all their cards) and the cards whose number is in cardNumbers,
	// calls fn with them as a Registry, and writes back what fn changed (Registry.Changes). If
	// fn returns an error nothing is written and the error is returned. fn may be called more
	// than once when the store retries a transaction that lost a race, so it must not keep
	// results from a previous call.
	UpdateRegistry(ctx context.Context, ssns []identity.SSN, cardNumbers []string, fn func(*Registry) error) error

	// WorkerBySSN returns the registered worker holding ssn, with all their cards; an errs
	// NotFound error when there is none.
	WorkerBySSN(ctx context.Context, ssn identity.SSN) (Worker, error)

	// LockWorker runs fn in one transaction that holds the registered worker of ssn locked
	// against a concurrent import until fn returns: an import of the same worker waits (and an
	// activation waits for an import under way), so fn sees the worker and their cards as a
	// finished import left them and nothing changes them before fn's writes commit. Store calls
	// made with the ctx fn receives join the transaction. It returns an errs NotFound error when
	// no worker holds ssn, and fn's error otherwise.
	LockWorker(ctx context.Context, ssn identity.SSN, fn func(ctx context.Context, w Worker) error) error

	// Activate stores the password hash of worker id and marks the account activated at at.
	// It returns an errs Conflict error with code already_activated if the account has been
	// activated already (also when that happened concurrently), and NotFound if there is no
	// such worker.
	Activate(ctx context.Context, id, passwordHash string, at time.Time) error
}
