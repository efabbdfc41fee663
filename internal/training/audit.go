package training

import (
	"context"

	"skillrecord/internal/audit"
)

// touchWorkers announces the workers of ts to the request's audit event (audit.Touch), from
// inside the transaction that writes them, so that the event committed with the records
// names every worker they belong to.
func touchWorkers(ctx context.Context, ts []Training) {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.WorkerID
	}
	audit.Touch(ctx, ids...)
}
