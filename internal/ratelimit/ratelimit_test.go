package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
	"skillrecord/internal/ratelimit"
	"skillrecord/internal/testenv"
)

// openCache connects to the Redis at addr with a key prefix of the test's own and a breaker
// that opens after 3 failures.
func openCache(t *testing.T, addr, prefix string) *cache.Cache {
	t.Helper()
	c, err := cache.Open(context.Background(), cache.Config{
		Addrs: []string{addr}, KeyPrefix: prefix, DialTimeout: 300 * time.Millisecond,
		OpTimeout: 300 * time.Millisecond, BreakerFailures: 3, BreakerCooldown: time.Hour,
	}, testenv.Logger(t), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// instance is one service instance's quota: its own in-process counters on a shared Redis.
func instance(t *testing.T, c *cache.Cache, reg prometheus.Registerer) *ratelimit.Quota {
	return ratelimit.NewQuota(c, ratelimit.NewLocal(1000), time.Hour, testenv.Logger(t), reg, time.Now)
}

func TestQuota_OverAfterTheLimitAndTheFirstExcessOnce(t *testing.T) {
	c := openCache(t, testenv.RedisAddr(t), testenv.KeyPrefix(t))
	q := instance(t, c, nil)
	ctx := context.Background()
	org := auth.ThrottleKey{Key: "verify:org:o1", Limit: 3}
	addr := auth.ThrottleKey{Key: "verify:ip:192.0.2.7", Limit: 10}

	for i := 1; i <= 3; i++ {
		assert.Nil(t, q.Blocked(org, addr), "attempt %d: not at the limit before it", i)
		v := q.Spend(ctx, org, addr)
		assert.Zero(t, v.Wait, "miss %d is within the quota", i)
	}
	assert.Equal(t, []int{0}, q.Blocked(org, addr), "at its limit: known without a round trip")

	v := q.Spend(ctx, org, addr)
	assert.Greater(t, v.Wait, 59*time.Minute, "wait for the window's end")
	assert.LessOrEqual(t, v.Wait, time.Hour)
	assert.Equal(t, []int{0}, v.Over)
	assert.Equal(t, []int{0}, v.First, "the first excess")

	v = q.Spend(ctx, org, addr)
	assert.Equal(t, []int{0}, v.Over)
	assert.Empty(t, v.First, "reported once a window")
}

func TestQuota_CountsAreSharedByInstances(t *testing.T) {
	addr, prefix := testenv.RedisAddr(t), testenv.KeyPrefix(t)
	a := instance(t, openCache(t, addr, prefix), nil)
	b := instance(t, openCache(t, addr, prefix), nil)
	ctx := context.Background()
	k := auth.ThrottleKey{Key: "shared:org:o1", Limit: 2}
	a.Spend(ctx, k)
	a.Spend(ctx, k)
	assert.Nil(t, b.Blocked(k), "b has not seen the count yet")
	v := b.Spend(ctx, k)
	assert.Positive(t, v.Wait, "but Redis has: the third miss anywhere is over")
	assert.Equal(t, []int{0}, b.Blocked(k), "and now b knows")
}

func TestQuota_KeepsCountingInProcessWhenRedisIsKilled(t *testing.T) {
	srv := testenv.StartRedisServer(t)
	reg := prometheus.NewRegistry()
	q := instance(t, openCache(t, srv.Addr, testenv.KeyPrefix(t)), reg)
	ctx := context.Background()
	k := auth.ThrottleKey{Key: "verify:org:o1", Limit: 4}
	q.Spend(ctx, k)
	q.Spend(ctx, k)

	srv.Kill()

	v := q.Spend(ctx, k)
	assert.Zero(t, v.Wait, "third miss, counted in process from Redis's 2")
	v = q.Spend(ctx, k)
	assert.Zero(t, v.Wait, "fourth")
	v = q.Spend(ctx, k)
	assert.Positive(t, v.Wait, "fifth: over the limit without Redis")
	assert.Equal(t, []int{0}, v.First)
	assert.Equal(t, []int{0}, q.Blocked(k))
	assert.Equal(t, 3.0, metric(t, reg, "skillrecord_ratelimit_errors_total"))
	assert.Equal(t, 3.0, metric(t, reg, "skillrecord_ratelimit_local_total", "reason", "redis_error"))
}

func TestLimiter_ThrottlesInProcessWhileRedisIsDown(t *testing.T) {
	srv := testenv.StartRedisServer(t)
	reg := prometheus.NewRegistry()
	c := openCache(t, srv.Addr, testenv.KeyPrefix(t))
	l := ratelimit.New(c, ratelimit.NewLocal(1000), 15*time.Minute, testenv.Logger(t), reg, time.Now)
	ctx := context.Background()
	ip := auth.ThrottleKey{Key: "ip:192.0.2.9", Limit: 3}
	acct := auth.ThrottleKey{Key: "acct:abc", Limit: 2}
	l.Fail(ctx, ip, acct)
	assert.Zero(t, l.Check(ctx, ip, acct))

	srv.Kill()

	l.Fail(ctx, ip, acct) // the Redis call fails: counted in process
	wait := l.Check(ctx, ip, acct)
	assert.Greater(t, wait, 14*time.Minute, "the account reached its limit without Redis")
	assert.Zero(t, l.Check(ctx, ip), "the address has not")

	// Open the circuit with failing cache reads: the limiter no longer tries Redis at all.
	loader := cache.NewLoader[string](c, "probe", time.Minute)
	for range 3 {
		_, _ = loader.Get(ctx, "x", func(context.Context) (string, error) { return "v", nil })
	}
	require.False(t, c.Healthy(), "the breaker is open")
	l.Fail(ctx, ip)
	assert.Positive(t, l.Check(ctx, ip), "third failure from the address, counted with the circuit open")
	assert.Positive(t, metric(t, reg, "skillrecord_ratelimit_local_total", "reason", "circuit_open"))
	assert.Positive(t, metric(t, reg, "skillrecord_ratelimit_local_total", "reason", "redis_error"))

	l.Reset(ctx, acct)
	assert.Zero(t, l.Check(ctx, acct), "a reset forgets the in-process count too")
}

// metric reads a counter from reg by name and label values (name=value pairs); 0 when the
// series does not exist.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			for i := 0; i+1 < len(labels); i += 2 {
				found := false
				for _, lp := range m.GetLabel() {
					found = found || lp.GetName() == labels[i] && lp.GetValue() == labels[i+1]
				}
				if !found {
					continue series
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}
