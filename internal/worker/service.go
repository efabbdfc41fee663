package worker

import (
	"context"
	"iter"
	"time"
)

// Service is the registry and activation use cases bound to a Store, for callers that want an
// object (the HTTP layer).
type Service struct {
	store Store
}

// NewService returns a Service over store.
func NewService(store Store) *Service { return &Service{store: store} }

// Import is Import on the service's store.
func (s *Service) Import(ctx context.Context, rows iter.Seq2[ImportRow, error], now time.Time) (ImportResult, error) {
	return Import(ctx, s.store, rows, now)
}

// Activate is Activate on the service's store.
func (s *Service) Activate(ctx context.Context, in ActivateInput, now time.Time) (Activation, error) {
	return Activate(ctx, s.store, in, now)
}
