package ratelimit

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
)

// Quota counts lookups that missed, per key, in a fixed window: in Redis, and in process while
// Redis cannot be reached. What Redis answers is remembered in process, so Blocked costs no
// round trip.
type Quota struct {
	k      *counter
	window time.Duration
}

var _ auth.Quota = (*Quota)(nil)

// NewQuota returns a quota whose windows last window from their first miss.
func NewQuota(c *cache.Cache, local *Local, window time.Duration, log *slog.Logger, reg prometheus.Registerer, now func() time.Time) *Quota {
	return &Quota{k: newCounter(c, "quota", local, log, reg, now), window: window}
}

// Blocked returns the indexes of the keys last seen at or over their limit on this instance.
func (q *Quota) Blocked(keys ...auth.ThrottleKey) []int {
	var out []int
	now := q.k.now()
	for i, k := range keys {
		if k.Limit <= 0 {
			continue
		}
		if n, _ := q.k.local.Peek(k.Key, now); n >= k.Limit {
			out = append(out, i)
		}
	}
	return out
}

// Spend counts one miss against every key.
func (q *Quota) Spend(ctx context.Context, keys ...auth.ThrottleKey) auth.Verdict {
	counts := q.k.incr(ctx, names(keys), q.window)
	var v auth.Verdict
	for i, k := range keys {
		if k.Limit <= 0 || counts[i].n <= k.Limit {
			continue
		}
		v.Over = append(v.Over, i)
		if counts[i].n == k.Limit+1 {
			v.First = append(v.First, i)
		}
		v.Wait = max(v.Wait, counts[i].left, time.Second)
	}
	return v
}
