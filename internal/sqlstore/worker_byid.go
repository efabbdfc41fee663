package sqlstore

import (
	"context"

	"skillrecord/internal/worker"
)

// WorkerByID returns a registered worker by opaque id with all their cards, oldest first.
func (s *WorkerStore) WorkerByID(ctx context.Context, id string) (worker.Worker, error) {
	var row workerRow
	q := s.db.conn(ctx)
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return worker.Worker{}, translate(err)
	}
	w, err := s.toWorker(row)
	if err != nil {
		return worker.Worker{}, err
	}
	var cards []workerCardRow
	if err := q.Where("worker_id = ?", row.ID).Order("created_at, id").Find(&cards).Error; err != nil {
		return worker.Worker{}, translate(err)
	}
	for _, cr := range cards {
		c, err := s.toCard(cr)
		if err != nil {
			return worker.Worker{}, err
		}
		w.Cards = append(w.Cards, c)
	}
	return w, nil
}
