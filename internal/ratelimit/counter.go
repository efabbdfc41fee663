package ratelimit

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"skillrecord/internal/cache"
)

// opTimeout bounds one round trip of counters.
const opTimeout = 500 * time.Millisecond

// incrScript counts one; the first count starts the window. It answers the count and the
// milliseconds left in the window (a key found without expiry gets one, so it cannot count
// for ever).
var incrScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {n, left}`)

// count is one key's count and the time left in its window.
type count struct {
	n    int
	left time.Duration
}

// Reasons for counting in process, the label of skillrecord_ratelimit_local_total.
const (
	reasonCircuitOpen = "circuit_open" // the cache's breaker is open: Redis is not tried
	reasonRedisError  = "redis_error"  // the Redis call failed
)

// counter keeps fixed-window counters in Redis and falls back to Local for every key whose
// Redis call fails, and for all of them while the cache's circuit breaker is open. Each count
// Redis answers is copied into Local, so that an outage goes on from it.
type counter struct {
	c      *cache.Cache
	local  *Local
	log    *slog.Logger
	now    func() time.Time
	errors prometheus.Counter
	inProc *prometheus.CounterVec
}

func newCounter(c *cache.Cache, local *Local, log *slog.Logger, reg prometheus.Registerer, now func() time.Time) *counter {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	k := &counter{c: c, local: local, log: log, now: now,
		errors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "skillrecord_ratelimit_errors_total",
			Help: "Rate-limit and quota calls that could not reach Redis (the in-process counters answered them).",
		}),
		inProc: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_ratelimit_local_total",
			Help: "Rate-limit and quota counts kept in process instead of Redis, by reason (circuit_open, redis_error).",
		}, []string{"reason"}),
	}
	k.errors = register(reg, k.errors)
	k.inProc = register(reg, k.inProc)
	return k
}

// register registers c on reg, or returns the collector already registered under its name
// (the limiter and the quotas share the same metrics).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if reg == nil {
		return c
	}
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}

func (k *counter) unreachable(ctx context.Context, op string, err error) {
	k.errors.Inc()
	k.log.WarnContext(ctx, "rate limit counted in process: redis unavailable", "op", op, "error", err.Error())
}

// incr counts one against every name; a window starts with its first count.
func (k *counter) incr(ctx context.Context, names []string, window time.Duration) []count {
	out := make([]count, len(names))
	now := k.now()
	if !k.c.Healthy() {
		k.inProc.WithLabelValues(reasonCircuitOpen).Add(float64(len(names)))
		for i, name := range names {
			out[i].n, out[i].left = k.local.Add(name, window, now)
		}
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	pipe := k.c.Client().Pipeline()
	cmds := make([]*redis.Cmd, len(names))
	for i, name := range names {
		cmds[i] = incrScript.Eval(ctx, pipe, []string{name}, window.Milliseconds())
	}
	_, err := pipe.Exec(ctx)
	for i, name := range names {
		v, cerr := cmds[i].Int64Slice()
		if cerr != nil || len(v) != 2 {
			k.inProc.WithLabelValues(reasonRedisError).Inc()
			out[i].n, out[i].left = k.local.Add(name, window, now)
			continue
		}
		out[i] = count{n: int(v[0]), left: time.Duration(v[1]) * time.Millisecond}
		k.local.Set(name, out[i].n, out[i].left, now)
	}
	if err != nil {
		k.unreachable(ctx, "incr", err)
	}
	return out
}

// peek reads every name's count.
func (k *counter) peek(ctx context.Context, names []string) []count {
	out := make([]count, len(names))
	now := k.now()
	fallback := func(i int, reason string) {
		k.inProc.WithLabelValues(reason).Inc()
		out[i].n, out[i].left = k.local.Peek(names[i], now)
	}
	if !k.c.Healthy() {
		for i := range names {
			fallback(i, reasonCircuitOpen)
		}
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	pipe := k.c.Client().Pipeline()
	gets := make([]*redis.StringCmd, len(names))
	ttls := make([]*redis.DurationCmd, len(names))
	for i, name := range names {
		gets[i] = pipe.Get(ctx, name)
		ttls[i] = pipe.PTTL(ctx, name)
	}
	_, err := pipe.Exec(ctx)
	if err != nil && !errors.Is(err, redis.Nil) {
		k.unreachable(ctx, "peek", err)
	}
	for i, name := range names {
		n, gerr := gets[i].Int()
		switch {
		case errors.Is(gerr, redis.Nil):
			k.local.Delete(name) // Redis is the truth: the window is over
		case gerr != nil || ttls[i].Err() != nil:
			fallback(i, reasonRedisError)
		default:
			out[i] = count{n: n, left: ttls[i].Val()}
			k.local.Set(name, n, out[i].left, now)
		}
	}
	return out
}

// del forgets every name, in Redis and in process.
func (k *counter) del(ctx context.Context, names []string) {
	for _, name := range names {
		k.local.Delete(name)
	}
	if len(names) == 0 || !k.c.Healthy() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	// One DEL per key: in Redis Cluster the keys may live on different slots.
	pipe := k.c.Client().Pipeline()
	for _, name := range names {
		pipe.Del(ctx, name)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		k.unreachable(ctx, "del", err)
	}
}
