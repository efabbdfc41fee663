package class

import (
	"context"
	"time"

	"skillrecord/internal/access"
	"skillrecord/internal/audit"
	"skillrecord/internal/auth"
)

// AccessLog appends access events, many at a time (the workers' access log, package access).
type AccessLog interface {
	RecordAccesses(ctx context.Context, events []access.Event) error
}

// recordReads leaves an access event for each worker whose data the bureau read: the
// members of a class it opened, the workers of the supervision flags it listed. An
// institution reading its own class reads what it filed itself, and leaves none. A read that
// cannot be recorded is not answered.
func (s *Service) recordReads(ctx context.Context, what string, reads map[string]string) error {
	if s.Access == nil || len(reads) == 0 {
		return nil
	}
	p, _ := auth.PrincipalFrom(ctx)
	at := s.Now().UTC().Truncate(time.Microsecond)
	events := make([]access.Event, 0, len(reads))
	for workerID, why := range reads {
		events = append(events, access.Event{
			WorkerID: workerID, ActorID: p.ID, ActorRole: string(p.Role), OrgID: p.OrgID,
			What: what, Why: why, RequestID: audit.RequestID(ctx), At: at,
		})
	}
	return s.Access.RecordAccesses(ctx, events)
}
