package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type summary struct {
	ID      string `json:"id"`
	Credits int    `json:"credits"`
}

// countingLoad returns a load function that counts its calls and returns *v.
func countingLoad(calls *atomic.Int32, v *atomic.Value) func(context.Context) (summary, error) {
	return func(context.Context) (summary, error) {
		calls.Add(1)
		return v.Load().(summary), nil
	}
}

func TestGetMissThenHit(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[summary](c, "record", time.Minute)
	ctx := context.Background()
	var calls atomic.Int32
	var src atomic.Value
	src.Store(summary{ID: "w1", Credits: 12})

	got, err := l.Get(ctx, "w1", countingLoad(&calls, &src))
	require.NoError(t, err)
	assert.Equal(t, summary{ID: "w1", Credits: 12}, got)
	assert.EqualValues(t, 1, calls.Load())
	assert.EqualValues(t, 1, counter(c, "record", ResultMiss))
	assert.EqualValues(t, 0, counter(c, "record", ResultHit))

	got, err = l.Get(ctx, "w1", countingLoad(&calls, &src))
	require.NoError(t, err)
	assert.Equal(t, summary{ID: "w1", Credits: 12}, got)
	assert.EqualValues(t, 1, calls.Load(), "a hit must not call load")
	assert.EqualValues(t, 1, counter(c, "record", ResultHit))
	assert.EqualValues(t, 0, counter(c, "record", ResultError))
	assert.EqualValues(t, 0, counter(c, "record", ResultBypass))

	// The value sits under the hash-tagged key, with the Loader's ttl.
	vk, gk := l.Keys("w1")
	assert.Equal(t, c.cfg.KeyPrefix+"{record:w1}", vk)
	assert.Equal(t, c.cfg.KeyPrefix+"{record:w1}:gen", gk)
	ttl, err := c.Client().PTTL(ctx, vk).Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, 50*time.Second)
	assert.LessOrEqual(t, ttl, time.Minute)
	assert.Equal(t, c.cfg.KeyPrefix+"a:b", c.Key("a", "b"))
}

func TestGetCoalescesConcurrentMisses(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[summary](c, "record", time.Minute)
	var calls atomic.Int32
	const n = 50
	load := func(context.Context) (summary, error) {
		calls.Add(1)
		// Until every Get has seen its miss (and so is joining this load), or 5 s on a
		// machine too busy to start them all: a fixed sleep lost the race under load.
		for deadline := time.Now().Add(5 * time.Second); counter(c, "record", ResultMiss) < n && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // from the miss to joining the flight
		return summary{ID: "w2", Credits: 3}, nil
	}

	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, n)
	vals := make([]summary, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			vals[i], errs[i] = l.Get(context.Background(), "w2", load)
		}()
	}
	close(start)
	wg.Wait()

	assert.EqualValues(t, 1, calls.Load(), "50 concurrent Gets of a cold key must share one load")
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, summary{ID: "w2", Credits: 3}, vals[i])
	}
	assert.EqualValues(t, n, counter(c, "record", ResultMiss))
}

func TestCallerCancelDoesNotFailOthers(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[summary](c, "record", time.Minute)
	started, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	load := func(ctx context.Context) (summary, error) {
		if calls.Add(1) == 1 {
			close(started)
		}
		<-release
		return summary{ID: "w3"}, ctx.Err()
	}

	ctx1, cancel1 := context.WithCancel(context.Background())
	res1 := make(chan error, 1)
	go func() { _, err := l.Get(ctx1, "w3", load); res1 <- err }()
	<-started
	res2 := make(chan error, 1)
	var v2 summary
	go func() {
		var err error
		v2, err = l.Get(context.Background(), "w3", load)
		res2 <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the second caller join the flight
	cancel1()
	assert.ErrorIs(t, <-res1, context.Canceled, "the cancelled caller gets its own ctx error")
	close(release)
	require.NoError(t, <-res2, "the other caller must not see the first one's cancellation")
	assert.Equal(t, summary{ID: "w3"}, v2)
	assert.EqualValues(t, 1, calls.Load())
}

func TestLoadErrorIsReturnedAndNotCached(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[summary](c, "record", time.Minute)
	ctx := context.Background()
	boom := errors.New("database says no")
	var calls atomic.Int32
	load := func(context.Context) (summary, error) {
		calls.Add(1)
		return summary{}, boom
	}

	_, err := l.Get(ctx, "w4", load)
	assert.Same(t, boom, err, "load's error is returned as it is")
	vk, _ := l.Keys("w4")
	assert.ErrorIs(t, c.Client().Get(ctx, vk).Err(), redis.Nil, "a failed load must not be cached")

	_, err = l.Get(ctx, "w4", load)
	assert.Same(t, boom, err)
	assert.EqualValues(t, 2, calls.Load())
}

func TestInvalidateMakesNextGetReload(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[summary](c, "record", time.Minute)
	ctx := context.Background()
	var calls atomic.Int32
	var src atomic.Value
	src.Store(summary{ID: "w5", Credits: 1})

	got, err := l.Get(ctx, "w5", countingLoad(&calls, &src))
	require.NoError(t, err)
	assert.Equal(t, 1, got.Credits)

	src.Store(summary{ID: "w5", Credits: 2})
	require.NoError(t, l.Invalidate(ctx, "w5", "unrelated"))
	got, err = l.Get(ctx, "w5", countingLoad(&calls, &src))
	require.NoError(t, err)
	assert.Equal(t, 2, got.Credits)
	assert.EqualValues(t, 2, calls.Load())

	_, gk := l.Keys("w5")
	gttl, err := c.Client().PTTL(ctx, gk).Result()
	require.NoError(t, err)
	assert.Greater(t, gttl, time.Duration(0), "generation counters must expire")
	require.NoError(t, l.Invalidate(ctx)) // no keys: nothing to do
}

func TestStaleWriteProtection(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[summary](c, "record", time.Minute)
	ctx := context.Background()
	var calls atomic.Int32
	started, release := make(chan struct{}), make(chan struct{})
	staleLoad := func(context.Context) (summary, error) {
		calls.Add(1)
		close(started)
		<-release
		return summary{ID: "w6", Credits: 100}, nil // read before the write committed
	}

	done := make(chan summary, 1)
	go func() {
		v, err := l.Get(ctx, "w6", staleLoad)
		assert.NoError(t, err)
		done <- v
	}()
	<-started
	// The write commits and invalidates while the load is still running.
	require.NoError(t, l.Invalidate(ctx, "w6"))
	close(release)
	assert.Equal(t, 100, (<-done).Credits, "the in-flight caller still gets what it loaded")

	vk, _ := l.Keys("w6")
	assert.ErrorIs(t, c.Client().Get(ctx, vk).Err(), redis.Nil, "the stale value must not be stored")

	got, err := l.Get(ctx, "w6", func(context.Context) (summary, error) {
		calls.Add(1)
		return summary{ID: "w6", Credits: 200}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, 200, got.Credits)
	assert.EqualValues(t, 2, calls.Load(), "the Get after the invalidation loads again")
	// And that fresh value was stored.
	got, err = l.Get(ctx, "w6", func(context.Context) (summary, error) {
		t.Error("unexpected load")
		return summary{}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, 200, got.Credits)
}

func TestPanicInLoadReachesCaller(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[summary](c, "record", time.Minute)
	assert.Panics(t, func() {
		_, _ = l.Get(context.Background(), "w7", func(context.Context) (summary, error) { panic("bug") })
	})
}
