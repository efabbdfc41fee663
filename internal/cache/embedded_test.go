package cache

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testutilGauge(c *Cache) float64 { return testutil.ToFloat64(c.metrics.circuitOpen) }

func TestEmbedded(t *testing.T) {
	c, err := Open(context.Background(), Config{KeyPrefix: "sr:", Password: "s3cret"}, nil, nil)
	require.NoError(t, err)
	assert.True(t, c.Embedded())
	assert.True(t, strings.HasPrefix(c.Addr(), "127.0.0.1:"), c.Addr())
	assert.NotContains(t, c.Addr(), "s3cret")
	require.NoError(t, c.Ping(context.Background()))
	assert.True(t, c.Healthy())

	l := NewLoader[summary](c, "record", 1500*time.Millisecond)
	ctx := context.Background()
	var calls atomic.Int32
	var src atomic.Value
	src.Store(summary{ID: "e1", Credits: 1})
	for range 2 {
		got, err := l.Get(ctx, "e1", countingLoad(&calls, &src))
		require.NoError(t, err)
		assert.Equal(t, 1, got.Credits)
	}
	assert.EqualValues(t, 1, calls.Load())
	assert.EqualValues(t, 1, counter(c, "record", ResultHit))

	src.Store(summary{ID: "e1", Credits: 2})
	require.NoError(t, l.Invalidate(ctx, "e1"))
	got, err := l.Get(ctx, "e1", countingLoad(&calls, &src))
	require.NoError(t, err)
	assert.Equal(t, 2, got.Credits)
	assert.EqualValues(t, 2, calls.Load())

	// TTLs run on the wall clock in the embedded server too.
	vk, _ := l.Keys("e1")
	assert.Eventually(t, func() bool {
		return c.Client().Exists(ctx, vk).Val() == 0
	}, 5*time.Second, 100*time.Millisecond, "value must expire after its ttl")

	// The embedded server requires the configured password.
	raw := redis.NewClient(&redis.Options{Addr: c.Addr(), MaxRetries: -1})
	assert.Error(t, raw.Ping(ctx).Err())
	_ = raw.Close()

	addr := c.Addr()
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close is idempotent")
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		_ = conn.Close()
		t.Fatalf("the embedded server still listens on %s after Close", addr)
	}
}

func TestOpenRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"url addr":        {Addrs: []string{"redis://:pw@localhost:6379"}},
		"no port":         {Addrs: []string{"localhost"}},
		"bad port":        {Addrs: []string{"localhost:0"}},
		"negative db":     {Addrs: []string{"localhost:6379"}, DB: -1},
		"db with cluster": {Addrs: []string{"a:1", "b:2"}, DB: 1},
		"brace prefix":    {KeyPrefix: "sr{x}:"},
		"negative pool":   {PoolSize: -1},
		"negative time":   {OpTimeout: -time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := Open(context.Background(), cfg, nil, nil)
			assert.ErrorIs(t, err, ErrConfig)
			assert.Nil(t, c)
			if err != nil {
				assert.NotContains(t, err.Error(), "pw@")
			}
		})
	}
}

func TestMetricsRegisterTwiceOnOneRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	c1, err := Open(context.Background(), Config{}, nil, reg)
	require.NoError(t, err)
	defer c1.Close()
	c2, err := Open(context.Background(), Config{}, nil, reg)
	require.NoError(t, err)
	defer c2.Close()

	l := NewLoader[int](c1, "twice", time.Minute)
	_, err = l.Get(context.Background(), "k", func(context.Context) (int, error) { return 1, nil })
	require.NoError(t, err)
	n, err := testutil.GatherAndCount(reg, "skillrecord_cache_requests_total")
	require.NoError(t, err)
	assert.Equal(t, 4, n, "one series per result of the loader, keys never in labels")
}
