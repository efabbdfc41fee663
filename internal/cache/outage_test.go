package cache

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const redisServerBin = "/usr/bin/redis-server"

// redisProcess is a dedicated redis-server for tests that kill it.
type redisProcess struct {
	port int
	cmd  *exec.Cmd
}

// startRedisProcess starts redis-server on port and waits until it answers.
func startRedisProcess(t *testing.T, port int) *redisProcess {
	t.Helper()
	cmd := exec.Command(redisServerBin,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", redisServerBin, err)
	}
	p := &redisProcess{port: port, cmd: cmd}
	t.Cleanup(p.kill)
	cl := redis.NewClient(&redis.Options{Addr: p.addr(), MaxRetries: -1, DialerRetries: 1})
	defer cl.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := cl.Ping(ctx).Err()
		cancel()
		if err == nil {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on port %d does not answer: %v", port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *redisProcess) addr() string { return fmt.Sprintf("127.0.0.1:%d", p.port) }

// kill stops the server for good (SIGKILL: no goodbye to the clients).
func (p *redisProcess) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}

func TestRedisGoingAwayAndComingBack(t *testing.T) {
	port := freePort(t)
	srv := startRedisProcess(t, port)
	const cooldown = 1500 * time.Millisecond
	c, logs := openTest(t, Config{
		Addrs:           []string{srv.addr()},
		OpTimeout:       200 * time.Millisecond,
		BreakerFailures: 3,
		BreakerCooldown: cooldown,
	})
	l := NewLoader[summary](c, "record", time.Minute)
	ctx := context.Background()
	var calls atomic.Int32
	var src atomic.Value
	src.Store(summary{ID: "w1", Credits: 7})
	load := countingLoad(&calls, &src)

	// Warm the cache.
	for range 2 {
		got, err := l.Get(ctx, "w1", load)
		require.NoError(t, err)
		require.Equal(t, 7, got.Credits)
	}
	require.EqualValues(t, 1, calls.Load())
	require.EqualValues(t, 1, counter(c, "record", ResultHit))
	require.True(t, c.Healthy())

	// Redis goes away: every Get is answered by load, without an error, quickly.
	srv.kill()
	begin := time.Now()
	const n = 20
	for i := range n {
		got, err := l.Get(ctx, "w1", load)
		require.NoError(t, err, "Get %d after Redis died", i)
		require.Equal(t, summary{ID: "w1", Credits: 7}, got)
	}
	openedAt := time.Now()
	assert.Less(t, time.Since(begin), time.Second, "a dead Redis must not slow Gets down much")
	assert.EqualValues(t, 1+n, calls.Load())
	assert.False(t, c.Healthy(), "the circuit must be open")
	assert.EqualValues(t, 3, counter(c, "record", ResultError), "failures until the circuit opened")
	assert.EqualValues(t, n-3, counter(c, "record", ResultBypass), "Gets while the circuit is open")
	assert.Error(t, c.Ping(ctx))
	assert.ErrorIs(t, l.Invalidate(ctx, "w1"), ErrCircuitOpen)
	assert.Equal(t, 1, logs.count("redis circuit opened"), "the outage is logged once")
	assert.Equal(t, 1.0, testutilGauge(c))

	// Redis comes back on the same address (empty: no persistence).
	startRedisProcess(t, port)
	require.NoError(t, c.Ping(ctx))
	if time.Since(openedAt) < cooldown-200*time.Millisecond {
		assert.False(t, c.Healthy(), "still open until the cooldown has passed")
	}
	time.Sleep(time.Until(openedAt.Add(cooldown + 100*time.Millisecond)))
	// Reads also wait until the replay loop has applied the invalidation that failed above.
	require.Eventually(t, c.Trusted, 5*time.Second, 20*time.Millisecond)

	// The trial Get finds Redis, misses, reloads and stores; the next one hits.
	got, err := l.Get(ctx, "w1", load)
	require.NoError(t, err)
	require.Equal(t, 7, got.Credits)
	assert.True(t, c.Healthy(), "a successful trial call closes the circuit")
	before := calls.Load()
	hits := counter(c, "record", ResultHit)
	got, err = l.Get(ctx, "w1", load)
	require.NoError(t, err)
	require.Equal(t, 7, got.Credits)
	assert.Equal(t, before, calls.Load(), "the cache is used again")
	assert.Equal(t, hits+1, counter(c, "record", ResultHit))
	require.NoError(t, l.Invalidate(ctx, "w1"))
	assert.Equal(t, 1, logs.count("redis circuit closed"), "the recovery is logged once")
	assert.Equal(t, 0.0, testutilGauge(c))
}

func TestOpenWithRedisDownDoesNotFail(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t)) // nothing listens there
	begin := time.Now()
	c, logs := openTest(t, Config{Addrs: []string{addr}, DialTimeout: 300 * time.Millisecond})
	assert.Less(t, time.Since(begin), 2*time.Second)
	assert.False(t, c.Embedded())
	assert.Equal(t, addr, c.Addr())
	assert.Equal(t, 1, logs.count("level=WARN msg=\"redis does not answer at start"))

	l := NewLoader[int](c, "n", time.Minute)
	v, err := l.Get(context.Background(), "k", func(context.Context) (int, error) { return 42, nil })
	require.NoError(t, err)
	assert.Equal(t, 42, v)
	assert.EqualValues(t, 1, counter(c, "n", ResultError))
	assert.Error(t, l.Invalidate(context.Background(), "k"))
}
