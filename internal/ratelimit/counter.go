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
// Redis answers is copied into Local, so that an outage goes on from it. A key is stored in
// Redis under the cache's prefix and space ("throttle", "quota"), and in Local as it is: the
// users of one Local must use keys that cannot collide.
type counter struct {
	c      *cache.Cache
	space  string
	local  *Local
	log    *slog.Logger
	now    func() time.Time
	errors prometheus.Counter
	inProc *prometheus.CounterVec
}

func newCounter(c *cache.Cache, space string, local *Local, log *slog.Logger, reg prometheus.Registerer, now func() time.Time) *counter {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	k := &counter{c: c, space: space, local: local, log: log, now: now,
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

// name is key's name in Redis.
func (k *counter) name(key string) string { return k.c.Key(k.space, key) }

func (k *counter) unreachable(ctx context.Context, op string, err error) {
	k.errors.Inc()
	k.log.WarnContext(ctx, "rate limit counted in process: redis unavailable", "op", op, "error", err.Error())
}

// incr counts one against every key; a window starts with its first count.
func (k *counter) incr(ctx context.Context, keys []string, window time.Duration) []count {
	out := make([]count, len(keys))
	now := k.now()
	if !k.c.Healthy() {
		k.inProc.WithLabelValues(reasonCircuitOpen).Add(float64(len(keys)))
		for i, key := range keys {
			out[i].n, out[i].left = k.local.Add(key, window, now)
		}
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	pipe := k.c.Client().Pipeline()
	cmds := make([]*redis.Cmd, len(keys))
	for i, key := range keys {
		cmds[i] = incrScript.Eval(ctx, pipe, []string{k.name(key)}, window.Milliseconds())
	}
	_, err := pipe.Exec(ctx)
	for i, key := range keys {
		v, cerr := cmds[i].Int64Slice()
		if cerr != nil || len(v) != 2 {
			k.inProc.WithLabelValues(reasonRedisError).Inc()
			out[i].n, out[i].left = k.local.Add(key, window, now)
			continue
		}
		out[i] = count{n: int(v[0]), left: time.Duration(v[1]) * time.Millisecond}
		k.local.Set(key, out[i].n, out[i].left, now)
	}
	if err != nil {
		k.unreachable(ctx, "incr", err)
	}
	return out
}

// peek reads every key's count.
func (k *counter) peek(ctx context.Context, keys []string) []count {
	out := make([]count, len(keys))
	now := k.now()
	fallback := func(i int, reason string) {
		k.inProc.WithLabelValues(reason).Inc()
		out[i].n, out[i].left = k.local.Peek(keys[i], now)
	}
	if !k.c.Healthy() {
		for i := range keys {
			fallback(i, reasonCircuitOpen)
		}
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	pipe := k.c.Client().Pipeline()
	gets := make([]*redis.StringCmd, len(keys))
	ttls := make([]*redis.DurationCmd, len(keys))
	for i, key := range keys {
		gets[i] = pipe.Get(ctx, k.name(key))
		ttls[i] = pipe.PTTL(ctx, k.name(key))
	}
	_, err := pipe.Exec(ctx)
	if err != nil && !errors.Is(err, redis.Nil) {
		k.unreachable(ctx, "peek", err)
	}
	for i, key := range keys {
		n, gerr := gets[i].Int()
		switch {
		case errors.Is(gerr, redis.Nil):
			k.local.Delete(key) // Redis is the truth: the window is over
		case gerr != nil || ttls[i].Err() != nil:
			fallback(i, reasonRedisError)
		default:
			out[i] = count{n: n, left: ttls[i].Val()}
			k.local.Set(key, n, out[i].left, now)
		}
	}
	return out
}

// del forgets every key, in Redis and in process.
func (k *counter) del(ctx context.Context, keys []string) {
	for _, key := range keys {
		k.local.Delete(key)
	}
	if len(keys) == 0 || !k.c.Healthy() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	// One DEL per key: in Redis Cluster the keys may live on different slots.
	pipe := k.c.Client().Pipeline()
	for _, key := range keys {
		pipe.Del(ctx, k.name(key))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		k.unreachable(ctx, "del", err)
	}
}
