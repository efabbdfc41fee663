package audit

import (
	"context"
	"fmt"
	"time"

	"skillrecord/internal/errs"
)

// ActorAnonymous is the actor id and role of a request without a valid principal.
const ActorAnonymous = "anonymous"

// Limits of an event's stored fields (the columns of audit_events and audit_event_workers).
const (
	MaxActorID   = 64
	MaxRole      = 32
	MaxOrgID     = 36
	MaxAction    = 64
	MaxTarget    = 255
	MaxRequestID = 64
	MaxClientIP  = 45
	MaxCode      = 64
	MaxWorkerID  = 36
)

// Event is one audited request.
type Event struct {
	ID        int64 // assigned by the store; increases with every event
	At        time.Time
	ActorID   string // principal id, or ActorAnonymous; never personal data
	ActorRole string // the principal's role, or ActorAnonymous
	OrgID     string // the actor's organisation, if any
	Action    string // stable word, e.g. training.post
	Target    string // the route's path parameters, e.g. "id=…"; never an SSN or a token
	WorkerIDs []string
	RequestID string
	ClientIP  string
	Status    int    // HTTP status of the answer
	Code      string // the problem code of a refused or failed request, else empty
}

// Filter selects events; zero fields select everything. Since is inclusive, Until exclusive.
type Filter struct {
	ActorID  string
	Action   string
	WorkerID string
	Since    time.Time
	Until    time.Time
}

// Appender appends events.
type Appender interface {
	// Append stores e (with its worker ids) and returns its id.
	Append(ctx context.Context, e Event) (int64, error)
}

// Store keeps audit events, append-only: there is deliberately no method to change or remove
// one (a test checks the method sets of this interface and of its SQL implementation).
type Store interface {
	Appender
	// Events returns up to limit events that match f with id below beforeID (0 = from the
	// newest), newest first, each with its worker ids.
	Events(ctx context.Context, f Filter, beforeID int64, limit int) ([]Event, error)
}

// Check reports an event that no caller should build: no action, actor or time, a field
// over its column's length, or an empty or over-long worker id. The error is errs.Internal,
// since events are built by code, never taken from a request.
func (e Event) Check() error {
	bad := func(format string, args ...any) error {
		return errs.Internal(fmt.Errorf("audit: bad event: "+format, args...), "invalid audit event")
	}
	switch {
	case e.ActorID == "" || len(e.ActorID) > MaxActorID:
		return bad("actor id must be 1 to %d bytes", MaxActorID)
	case e.ActorRole == "" || len(e.ActorRole) > MaxRole:
		return bad("actor role must be 1 to %d bytes", MaxRole)
	case e.Action == "" || len(e.Action) > MaxAction:
		return bad("action must be 1 to %d bytes", MaxAction)
	case len(e.OrgID) > MaxOrgID, len(e.Target) > MaxTarget, len(e.RequestID) > MaxRequestID,
		len(e.ClientIP) > MaxClientIP, len(e.Code) > MaxCode:
		return bad("a field is over its length")
	case e.Status < 100 || e.Status > 999:
		return bad("status %d", e.Status)
	case e.At.IsZero():
		return bad("no time")
	}
	for _, w := range e.WorkerIDs {
		if w == "" || len(w) > MaxWorkerID {
			return bad("worker id must be 1 to %d bytes", MaxWorkerID)
		}
	}
	return nil
}
