package cached

import (
	"context"
	"log/slog"
	"time"

	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
)

// StaffLogins caches staff accounts' statuses, read on every request of their tokens in the
// same round trip as the deny-list (Prefetch); sign-in reads the database.
type StaffLogins struct {
	next   auth.StaffLogins
	loader *cache.Loader[string]
	log    *slog.Logger
}

var (
	_ auth.StaffLogins      = (*StaffLogins)(nil)
	_ auth.StaffStatusCache = (*StaffLogins)(nil)
)

// NewStaffLogins wraps next.
func NewStaffLogins(c *cache.Cache, next auth.StaffLogins, ttl time.Duration, log *slog.Logger) *StaffLogins {
	return &StaffLogins{next: next, loader: cache.NewLoader[string](c, "staffstanding", ttl), log: log}
}

// StaffByUsername reads the database.
func (s *StaffLogins) StaffByUsername(ctx context.Context, username string) (auth.StaffUser, error) {
	return s.next.StaffByUsername(ctx, username)
}

// StaffStatus answers from the cache, or the database.
func (s *StaffLogins) StaffStatus(ctx context.Context, id string) (string, error) {
	return s.loader.Get(ctx, id, func(ctx context.Context) (string, error) { return s.next.StaffStatus(ctx, id) })
}

// Prefetch announces that id's status will be read with the request's next cache read.
func (s *StaffLogins) Prefetch(ctx context.Context, id string) context.Context {
	return s.loader.Prefetch(ctx, id)
}

// ForgetStaffStatus drops the cached status after a change has committed.
func (s *StaffLogins) ForgetStaffStatus(ctx context.Context, id string) error {
	if err := s.loader.Invalidate(context.WithoutCancel(ctx), id); err != nil {
		s.log.WarnContext(ctx, "could not invalidate a cached staff status; replayed before the cache is read again", "error", err.Error())
	}
	return nil
}
