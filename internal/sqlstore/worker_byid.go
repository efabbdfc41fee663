package sqlstore

import (
	"context"

	"skillrecord/internal/worker"
)

// WorkerByID returns a registered worker by opaque id with all their cards, oldest first.
func (s *WorkerStore) WorkerByID(ctx context.Context, id string) (worker.Worker, error) {
	return s.workerWhere(ctx, "id = ?", id)
}
