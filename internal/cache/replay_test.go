package cache

import (
	"context"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pause freezes the server (SIGSTOP): commands get no answer until resume (SIGCONT).
func (p *redisProcess) pause(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGSTOP))
}

func (p *redisProcess) resume(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGCONT))
}

// TestInvalidate_FailedDuringAPauseIsReplayedBeforeRedisIsReadAgain is the stale-read case of
// the field report: an entry is cached, Redis stalls, reads open the circuit, the source
// changes and its invalidation fails without reaching Redis. No read may answer the old value,
// neither during the stall nor after Redis comes back with the old entry still in it and the
// circuit's cooldown has passed; once the invalidation has been replayed the cache is used
// again.
func TestInvalidate_FailedDuringAPauseIsReplayedBeforeRedisIsReadAgain(t *testing.T) {
	srv := startRedisProcess(t, freePort(t))
	c, logs := openTest(t, Config{
		Addrs: []string{srv.addr()}, OpTimeout: 200 * time.Millisecond,
		BreakerFailures: 3, BreakerCooldown: 300 * time.Millisecond, ReplayInterval: time.Second,
	})
	l := NewLoader[summary](c, "record", time.Minute)
	ctx := context.Background()
	var calls atomic.Int32
	var src atomic.Value
	src.Store(summary{ID: "w1", Credits: 7})
	load := countingLoad(&calls, &src)
	for range 2 {
		got, err := l.Get(ctx, "w1", load)
		require.NoError(t, err)
		require.Equal(t, 7, got.Credits)
	}
	require.EqualValues(t, 1, counter(c, "record", ResultHit), "the entry is cached")

	srv.pause(t)
	for c.Healthy() { // reads time out until the circuit opens
		got, err := l.Get(ctx, "w1", load)
		require.NoError(t, err)
		require.Equal(t, 7, got.Credits)
	}
	src.Store(summary{ID: "w1", Credits: 9}) // the database changes...
	require.ErrorIs(t, l.Invalidate(ctx, "w1"), ErrCircuitOpen, "...and Redis cannot be told")
	assert.False(t, c.Trusted())
	got, err := l.Get(ctx, "w1", load)
	require.NoError(t, err)
	assert.Equal(t, 9, got.Credits, "during the stall reads skip Redis")

	srv.resume(t)
	// Redis answers again and still holds 7. Until the replay has removed it, reads skip it,
	// also after the circuit's cooldown.
	for !c.Trusted() {
		got, err := l.Get(ctx, "w1", load)
		require.NoError(t, err)
		require.Equal(t, 9, got.Credits, "the old entry is never answered")
		time.Sleep(10 * time.Millisecond)
	}
	require.Eventually(t, c.Healthy, 5*time.Second, 20*time.Millisecond)

	for range 2 {
		got, err = l.Get(ctx, "w1", load)
		require.NoError(t, err)
		assert.Equal(t, 9, got.Credits)
	}
	hits := counter(c, "record", ResultHit)
	got, err = l.Get(ctx, "w1", load)
	require.NoError(t, err)
	assert.Equal(t, 9, got.Credits)
	assert.Equal(t, hits+1, counter(c, "record", ResultHit), "the cache is used again")
	assert.Equal(t, 1.0, testutil.ToFloat64(c.metrics.replayed), "one invalidation replayed")
	assert.Equal(t, 0.0, testutil.ToFloat64(c.metrics.untrusted))
	assert.Equal(t, 1, logs.count("cache reads bypass redis"), "trust lost, logged once")
	assert.Equal(t, 1, logs.count("cache reads use redis again"), "trust back, logged once")
}

// TestEntryKeys_MatchTheLoaderKeys: the replay loop rebuilds a Loader's keys from a journal
// row; they must be the very keys the Loader uses.
func TestEntryKeys_MatchTheLoaderKeys(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[int](c, "certverify", time.Minute)
	vk, gk := l.Keys("CW-000001")
	evk, egk := c.entryKeys("certverify", "CW-000001")
	assert.Equal(t, vk, evk)
	assert.Equal(t, gk, egk)
}
