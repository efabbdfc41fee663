package ratelimit

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
)

// Limiter is a fixed-window failure counter (failed sign-ins and activations).
type Limiter struct {
	k      *counter
	window time.Duration
}

var _ auth.Throttle = (*Limiter)(nil)

// New returns a limiter whose counters live for window after their first failure, in Redis,
// and in local while Redis cannot be reached.
func New(c *cache.Cache, local *Local, window time.Duration, log *slog.Logger, reg prometheus.Registerer, now func() time.Time) *Limiter {
	return &Limiter{k: newCounter(c, "throttle", local, log, reg, now), window: window}
}

func names(keys []auth.ThrottleKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Key
	}
	return out
}

// Check returns how long to wait when any key has reached its limit, else 0.
func (l *Limiter) Check(ctx context.Context, keys ...auth.ThrottleKey) time.Duration {
	counts := l.k.peek(ctx, names(keys))
	var wait time.Duration
	for i, k := range keys {
		if k.Limit <= 0 || counts[i].n < k.Limit {
			continue
		}
		wait = max(wait, counts[i].left, time.Second)
	}
	return wait
}

// Fail counts one failure against every key.
func (l *Limiter) Fail(ctx context.Context, keys ...auth.ThrottleKey) {
	l.k.incr(ctx, names(keys), l.window)
}

// Reset clears the keys (after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, keys ...auth.ThrottleKey) {
	l.k.del(ctx, names(keys))
}
