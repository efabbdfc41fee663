package ratelimit

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
)

// incrWithWindow counts one failure; the first failure starts the window.
var incrWithWindow = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`)

// Limiter is a fixed-window failure counter.
type Limiter struct {
	c      *cache.Cache
	window time.Duration
	log    *slog.Logger
	errors prometheus.Counter
}

var _ auth.Throttle = (*Limiter)(nil)

// New returns a limiter whose counters live for window after their first failure.
func New(c *cache.Cache, window time.Duration, log *slog.Logger, reg prometheus.Registerer) *Limiter {
	l := &Limiter{c: c, window: window, log: log, errors: prometheus.NewCounter(prometheus.CounterOpts{
		Name: "skillrecord_ratelimit_errors_total",
		Help: "Rate-limit checks that could not reach Redis and let the request through.",
	})}
	if reg != nil {
		if err := reg.Register(l.errors); err != nil {
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok { //nolint:errorlint // registry returns the value type
				l.errors = are.ExistingCollector.(prometheus.Counter)
			}
		}
	}
	return l
}

func (l *Limiter) key(k string) string { return l.c.Key("throttle", k) }

func (l *Limiter) opCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, 500*time.Millisecond)
}

func (l *Limiter) failOpen(ctx context.Context, op string, err error) {
	l.errors.Inc()
	l.log.WarnContext(ctx, "rate limit unavailable; letting the request through", "op", op, "error", err.Error())
}

// Check returns how long to wait when any key has reached its limit, else 0.
func (l *Limiter) Check(ctx context.Context, keys ...auth.ThrottleKey) time.Duration {
	if !l.c.Healthy() {
		return 0
	}
	ctx, cancel := l.opCtx(ctx)
	defer cancel()
	pipe := l.c.Client().Pipeline()
	gets := make([]*redis.StringCmd, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	for i, k := range keys {
		gets[i] = pipe.Get(ctx, l.key(k.Key))
		ttls[i] = pipe.PTTL(ctx, l.key(k.Key))
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil { //nolint:errorlint // go-redis returns redis.Nil as is
		l.failOpen(ctx, "check", err)
		return 0
	}
	var wait time.Duration
	for i, k := range keys {
		n, err := gets[i].Int()
		if err != nil || k.Limit <= 0 || n < k.Limit {
			continue
		}
		if d := ttls[i].Val(); d > wait {
			wait = d
		}
		if wait <= 0 {
			wait = time.Second
		}
	}
	return wait
}

// Fail counts one failure against every key.
func (l *Limiter) Fail(ctx context.Context, keys ...auth.ThrottleKey) {
	if !l.c.Healthy() {
		return
	}
	ctx, cancel := l.opCtx(ctx)
	defer cancel()
	pipe := l.c.Client().Pipeline()
	for _, k := range keys {
		incrWithWindow.Eval(ctx, pipe, []string{l.key(k.Key)}, l.window.Milliseconds())
	}
	if _, err := pipe.Exec(ctx); err != nil {
		l.failOpen(ctx, "fail", err)
	}
}

// Reset clears the keys (after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, keys ...auth.ThrottleKey) {
	if !l.c.Healthy() || len(keys) == 0 {
		return
	}
	ctx, cancel := l.opCtx(ctx)
	defer cancel()
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = l.key(k.Key)
	}
	// One DEL per key: in Redis Cluster the keys may live on different slots.
	pipe := l.c.Client().Pipeline()
	for _, n := range names {
		pipe.Del(ctx, n)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		l.failOpen(ctx, "reset", err)
	}
}
