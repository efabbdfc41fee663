package cache

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadBatch_AReadThatFindsTheQueueFullUntilItsContextEndsGetsTheContextsError fills the
// read batcher's queue while its round trip to Redis is held, and lets the context of one more
// request end while that request waits for room. Its Get answers the context's error at once,
// as after any Redis read its caller gave up on: no load, nothing counted, no value, and the
// read it prefetched fails with it. It took no place in the queue and never reaches Redis; the
// reads already queued are all answered from Redis, each with its own value, once the round
// trip is released, and no goroutine is left waiting in the batcher.
func TestReadBatch_AReadThatFindsTheQueueFullUntilItsContextEndsGetsTheContextsError(t *testing.T) {
	c, l := openHeld(t, "full")
	ctx := context.Background()
	// The late request's keys are cached too: had its reads reached Redis, they would be hits.
	for _, k := range []string{"late", "late-prefetched"} {
		_, err := l.Get(ctx, k, func(context.Context) (string, error) { return "cached-" + k, nil })
		require.NoError(t, err)
	}
	results := []string{ResultHit, ResultMiss, ResultError, ResultBypass}
	before := map[string]float64{}
	for _, r := range results {
		before[r] = counter(c, "full", r)
	}
	require.Zero(t, before[ResultHit])
	_, itemsBefore := c.batch.Stats()
	hold, queued := fillReadBatchQueue(t, c, l)

	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lctx = l.Prefetch(lctx, "late-prefetched")
	type answer struct {
		v   string
		err error
	}
	late := make(chan answer, 1)
	var lateLoads atomic.Int64
	lateLoad := func(context.Context) (string, error) { lateLoads.Add(1); return "loaded", nil }
	go func() {
		v, err := l.Get(lctx, "late", lateLoad)
		late <- answer{v, err}
	}()
	require.Eventually(t, func() bool { room, _ := submitters(); return room == 1 },
		time.Minute, 10*time.Millisecond, "the late read waits for room in the queue")
	cancel()
	var got answer
	select {
	case got = <-late:
	case <-time.After(time.Minute):
		t.Fatal("the Get whose context ended still waits for room in the queue")
	}
	require.ErrorIs(t, got.err, context.Canceled)
	assert.Empty(t, got.v, "no value is answered with the context's error")
	v, err := l.Get(lctx, "late-prefetched", lateLoad)
	require.ErrorIs(t, err, context.Canceled, "the prefetched read failed with the one that carried it")
	assert.Empty(t, v)
	assert.Zero(t, lateLoads.Load(), "nothing is loaded for a caller that has gone")
	assert.Equal(t, readBatchQueue, c.batch.Waiting(), "the late read took no place in the queue")
	room, outcome := submitters()
	assert.Zero(t, room, "nobody waits for room any more")
	assert.Equal(t, readBatchQueue+1, outcome, "the held read and the queued ones wait for their round trip")
	for _, r := range results {
		assert.Equal(t, before[r], counter(c, "full", r), "result %s counted while the round trip is held", r)
	}
	assert.Zero(t, errCounter(c, "full", opRead), "a caller giving up is not a Redis error")
	assert.Equal(t, float64(1), testutil.ToFloat64(c.metrics.unbatched), "the read that found no room is counted")

	hold.let()
	queued.wait(t)
	assert.Equal(t, float64(readBatchQueue+1), counter(c, "full", ResultHit))
	assert.Equal(t, before[ResultMiss], counter(c, "full", ResultMiss))
	assert.Zero(t, counter(c, "full", ResultError))
	_, items := c.batch.Stats()
	assert.EqualValues(t, readBatchQueue+1, items-itemsBefore, "the held read and the queued ones were written, the late one never")
	for _, k := range []string{"late", "late-prefetched"} {
		vk, gk := l.Keys(k)
		assert.Zero(t, hold.sent(vk)+hold.sent(gk), "the late read of %s never reached Redis", k)
	}
	room, outcome = submitters()
	assert.Zero(t, room+outcome, "no goroutine is left in the batcher's Submit")
	assert.True(t, c.Healthy(), "a caller giving up does not count against Redis")
	assert.True(t, c.Trusted())

	v, err = l.Get(ctx, "late", lateLoad)
	require.NoError(t, err)
	assert.Equal(t, "cached-late", v, "a later read of the key is answered from Redis")
	assert.Zero(t, lateLoads.Load())
}

// TestReadBatch_CloseAnswersTheQueuedReadsAndLaterOnesFromTheSource closes the Cache while the
// batcher's round trip is held, its queue is full and more reads wait for room: every one of
// them is answered from Redis once the round trip is released, before the client goes; a read
// after Close cannot be queued and is answered from the source, counted as a read error.
func TestReadBatch_CloseAnswersTheQueuedReadsAndLaterOnesFromTheSource(t *testing.T) {
	c, l := openHeld(t, "closing")
	t.Cleanup(func() { // the Cache's own cleanup finds its client closed
		cl := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: requireRedis(t)})
		defer cl.Close()
		deleteKeys(t, cl, c.cfg.KeyPrefix)
	})
	hold, queued := fillReadBatchQueue(t, c, l)
	const more = 8
	for k := range more {
		queued.get(l, k)
	}
	require.Eventually(t, func() bool { room, _ := submitters(); return room == more },
		time.Minute, 10*time.Millisecond, "more reads wait for room in the queue")

	closed := make(chan error, 1)
	go func() { closed <- c.Close() }()
	hold.let()
	queued.wait(t)
	require.NoError(t, <-closed)
	assert.Equal(t, float64(readBatchQueue+1+more), counter(c, "closing", ResultHit))
	room, outcome := submitters()
	assert.Zero(t, room+outcome, "no goroutine is left in the batcher's Submit")

	failed, reads := counter(c, "closing", ResultError), errCounter(c, "closing", opRead)
	v, err := l.Get(context.Background(), "1", func(context.Context) (string, error) { return "source", nil })
	require.NoError(t, err)
	assert.Equal(t, "source", v)
	assert.Equal(t, failed+1, counter(c, "closing", ResultError))
	assert.Equal(t, reads+1, errCounter(c, "closing", opRead))
	assert.Equal(t, float64(1), testutil.ToFloat64(c.metrics.unbatched), "only the read after Close found no round trip")
}

// queuedKeys is how many keys the queued reads of a test spread over; key k holds queuedValue(k).
const queuedKeys = 64

func queuedValue(k int) string { return "value-" + strconv.Itoa(k) }

// openHeld opens a Cache with one read batcher and an OpTimeout that outlasts a held round
// trip, and a Loader whose keys 0 … queuedKeys-1 are cached.
func openHeld(t *testing.T, name string) (*Cache, *Loader[string]) {
	t.Helper()
	c, _ := openTest(t, Config{Addrs: requireRedis(t), ReadBatchers: 1, OpTimeout: 5 * time.Minute})
	l := NewLoader[string](c, name, time.Minute)
	for k := range queuedKeys {
		_, err := l.Get(context.Background(), strconv.Itoa(k), func(context.Context) (string, error) { return queuedValue(k), nil })
		require.NoError(t, err)
	}
	return c, l
}

// fillReadBatchQueue holds the batcher's next round trip, sends one read into it and queues
// readBatchQueue more behind it; it returns once the queue is full. The round trip is
// released by hold.let, or at the end of the test.
func fillReadBatchQueue(t *testing.T, c *Cache, l *Loader[string]) (*holdHook, *queuedReads) {
	t.Helper()
	hold := &holdHook{held: make(chan struct{}), release: make(chan struct{})}
	t.Cleanup(hold.let) // a failed test must not leave the batcher holding
	c.Client().AddHook(hold)
	hold.armed.Store(true)
	r := &queuedReads{}
	r.get(l, 0)
	select {
	case <-hold.held:
	case <-time.After(time.Minute):
		t.Fatal("the batcher sent no MGET for the first read")
	}
	for i := 1; i <= readBatchQueue; i++ {
		r.get(l, i%queuedKeys)
	}
	require.Eventually(t, func() bool { return c.batch.Waiting() == readBatchQueue },
		2*time.Minute, 10*time.Millisecond, "the queue fills behind the held round trip")
	return hold, r
}

// queuedReads are Gets started in goroutines that must each answer their key's value from
// Redis.
type queuedReads struct {
	wg           sync.WaitGroup
	wrong, loads atomic.Int64
}

func (r *queuedReads) get(l *Loader[string], k int) {
	r.wg.Go(func() {
		v, err := l.Get(context.Background(), strconv.Itoa(k), func(context.Context) (string, error) {
			r.loads.Add(1)
			return "loaded", nil
		})
		if err != nil || v != queuedValue(k) {
			r.wrong.Add(1)
		}
	})
}

// wait waits for every Get and checks their answers.
func (r *queuedReads) wait(t *testing.T) {
	t.Helper()
	r.wg.Wait()
	assert.Zero(t, r.wrong.Load(), "every queued read is answered with its own key's value")
	assert.Zero(t, r.loads.Load(), "every queued read is a hit")
}

// holdHook is a go-redis hook that holds the first MGET sent after armed is set (alone or in a
// pipeline) until release is closed, closing held when it starts holding; it counts the keys
// of every MGET.
type holdHook struct {
	armed         atomic.Bool
	held, release chan struct{}
	letOnce       sync.Once

	mu   sync.Mutex
	keys map[string]int
}

var _ redis.Hook = (*holdHook)(nil)

// let releases the held MGET.
func (h *holdHook) let() { h.letOnce.Do(func() { close(h.release) }) }

// sent returns how many MGETs carried key.
func (h *holdHook) sent(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.keys[key]
}

// see counts the keys of the MGETs among cmds, and holds them if armed.
func (h *holdHook) see(cmds ...redis.Cmder) {
	mget := false
	h.mu.Lock()
	for _, cmd := range cmds {
		if cmd.Name() != "mget" {
			continue
		}
		mget = true
		if h.keys == nil {
			h.keys = map[string]int{}
		}
		for _, k := range cmd.Args()[1:] {
			s, _ := k.(string)
			h.keys[s]++
		}
	}
	h.mu.Unlock()
	if mget && h.armed.CompareAndSwap(true, false) {
		close(h.held)
		<-h.release
	}
}

// DialHook implements redis.Hook.
func (h *holdHook) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook.
func (h *holdHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.see(cmd); return next(ctx, cmd) }
}

// ProcessPipelineHook implements redis.Hook.
func (h *holdHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.see(cmds...); return next(ctx, cmds) }
}

// submitters counts the goroutines inside groupcommit's Submit by what they wait for: room in
// the queue (a select) or their item's outcome (a channel receive).
func submitters() (forRoom, forOutcome int) {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, "groupcommit.(*Committer[...]).Submit(") {
			continue
		}
		header, _, _ := strings.Cut(g, "\n")
		switch {
		case strings.Contains(header, "[select"):
			forRoom++
		case strings.Contains(header, "[chan receive"):
			forOutcome++
		}
	}
	return forRoom, forOutcome
}
