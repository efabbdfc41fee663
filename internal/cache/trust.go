package cache

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// errUntrusted is what a read gets while invalidations that failed may still be missing from
// Redis: Get answers it like an open circuit, from the load function.
var errUntrusted = fmt.Errorf("%w: invalidations pending replay", ErrCircuitOpen)

// trust decides whether Redis may be read. Any trouble this Cache sees (its circuit opening,
// an Invalidate failing, the replay loop not reaching Redis) withdraws trust; only the replay
// loop restores it, after it has applied every pending invalidation (this instance's and the
// Journal's) in two consecutive healthy rounds with no trouble in between.
type trust struct {
	seen    atomic.Uint64 // troubles seen so far
	cleared atomic.Uint64 // the value of seen when trust was last restored

	log     *slog.Logger
	gauge   prometheus.Gauge
	counter prometheus.Counter // invalidations replayed

	mu      sync.Mutex
	journal Journal
	local   map[Invalidation]struct{} // failed here, not yet in the Journal nor applied

	// Owned by replay (which holds replayMu).
	replayMu  sync.Mutex
	healthy   bool   // the last round reached Redis and applied everything
	healthyAt uint64 // the value of seen during that round
	replayed  int    // invalidations applied since trust was withdrawn
}

func newTrust(log *slog.Logger, gauge prometheus.Gauge, counter prometheus.Counter) *trust {
	return &trust{log: log, gauge: gauge, counter: counter, local: map[Invalidation]struct{}{}}
}

// ok reports whether Redis may be read: no trouble since trust was last restored.
func (t *trust) ok() bool { return t.seen.Load() == t.cleared.Load() }

// trouble withdraws trust until the replay loop restores it.
func (t *trust) trouble(reason string) {
	was := t.ok()
	t.seen.Add(1)
	if was {
		t.gauge.Set(1)
		t.log.Warn("cache reads bypass redis until pending invalidations are replayed", "reason", reason)
	}
}

// add remembers invalidations that failed here.
func (t *trust) add(invs []Invalidation) {
	t.mu.Lock()
	for _, inv := range invs {
		t.local[inv] = struct{}{}
	}
	t.mu.Unlock()
}

// forget drops invalidations that are now in the Journal or applied.
func (t *trust) forget(invs []Invalidation) {
	t.mu.Lock()
	for _, inv := range invs {
		delete(t.local, inv)
	}
	t.mu.Unlock()
}

// snapshot returns the invalidations that failed here and are still pending.
func (t *trust) snapshot() []Invalidation {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Invalidation, 0, len(t.local))
	for inv := range t.local {
		out = append(out, inv)
	}
	return out
}

// Trusted reports whether cache reads use Redis: false from the moment this Cache sees Redis
// trouble until every invalidation that may have been lost meanwhile has been replayed. The
// circuit breaker (Healthy) is a separate gate: both must be open for a read to reach Redis.
func (c *Cache) Trusted() bool { return c.trust.ok() }

// deferInvalidations keeps invalidations that did not reach Redis: in memory at once (this
// instance stops trusting Redis until they are applied), then in the Journal, where every
// instance's replay loop finds them.
func (c *Cache) deferInvalidations(ctx context.Context, name string, keys []string) {
	invs := make([]Invalidation, len(keys))
	for i, k := range keys {
		invs[i] = Invalidation{Cache: name, Key: k}
	}
	c.trust.add(invs)
	c.trust.trouble("invalidation failed") // after add: a replay round that began earlier cannot restore trust
	j := c.trust.journalOf()
	if j == nil {
		return
	}
	jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), journalTimeout)
	defer cancel()
	if err := j.Append(jctx, invs); err != nil {
		c.log.Warn("could not record failed cache invalidations in the database; this instance replays them itself",
			"cache", name, "keys", len(keys), "err", err)
		return
	}
	c.trust.forget(invs)
}

// replayLoop runs replay every ReplayInterval until Close.
func (c *Cache) replayLoop(ctx context.Context) {
	defer c.loopDone.Done()
	tick := time.NewTicker(c.cfg.ReplayInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			c.replay(ctx)
		}
	}
}

// replay applies the pending invalidations (this instance's, then the Journal's in batches)
// to Redis, or pings Redis when there are none, and restores trust on the second consecutive
// healthy round without trouble in between. The pause between the two rounds lets another
// instance finish recording an invalidation that failed just before Redis came back.
func (c *Cache) replay(ctx context.Context) {
	t := c.trust
	t.replayMu.Lock()
	defer t.replayMu.Unlock()
	seq := t.seen.Load()
	fail := func(msg string, err error, redisTrouble bool) {
		t.healthy = false
		c.log.Debug(msg, "err", err)
		if redisTrouble {
			t.trouble("redis unreachable from the replay loop")
		}
	}

	j := t.journalOf()
	local := t.snapshot()
	if j != nil && len(local) > 0 {
		jctx, cancel := context.WithTimeout(ctx, journalTimeout)
		err := j.Append(jctx, local)
		cancel()
		if err == nil {
			t.forget(local)
			local = nil
		}
	}
	for {
		var rows []Recorded
		if j != nil {
			jctx, cancel := context.WithTimeout(ctx, journalTimeout)
			var err error
			rows, err = j.Pending(jctx, replayBatch)
			cancel()
			if err != nil {
				fail("cache replay: journal unreadable", err, false)
				return
			}
		}
		invs := append([]Invalidation(nil), local...)
		for _, r := range rows {
			invs = append(invs, r.Invalidation)
		}
		if err := c.apply(ctx, invs); err != nil {
			if ctx.Err() == nil {
				fail("cache replay: redis unreachable", err, true)
			}
			return
		}
		t.forget(local)
		t.replayed += len(local)
		t.counter.Add(float64(len(local)))
		local = nil
		if len(rows) == 0 {
			break
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		jctx, cancel := context.WithTimeout(ctx, journalTimeout)
		err := j.Remove(jctx, ids)
		cancel()
		if err != nil {
			fail("cache replay: journal entries not removed", err, false)
			return
		}
		t.replayed += len(rows)
		t.counter.Add(float64(len(rows)))
		if len(rows) < replayBatch {
			break
		}
	}
	switch {
	case t.seen.Load() != seq:
		t.healthy = false
	case t.ok():
		t.healthy, t.healthyAt, t.replayed = true, seq, 0
	case t.healthy && t.healthyAt == seq:
		t.cleared.Store(seq)
		t.gauge.Set(0)
		c.log.Info("cache reads use redis again; pending invalidations replayed", "replayed", t.replayed)
		t.replayed = 0
	default:
		t.healthy, t.healthyAt = true, seq
	}
}

// apply runs the invalidation script for every entry in one pipeline, or PING when there is
// none, straight on the client: the replay loop is not a request and must reach Redis even
// while the circuit is open.
func (c *Cache) apply(ctx context.Context, invs []Invalidation) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.OpTimeout*time.Duration(1+len(invs)/replayBatch))
	defer cancel()
	if len(invs) == 0 {
		return c.client.Ping(ctx).Err()
	}
	genTTL := strconv.FormatInt(generationTTL.Milliseconds(), 10)
	pipe := c.client.Pipeline()
	for _, inv := range invs {
		if !validName(inv.Cache) {
			continue // not a Loader's entry: nothing of ours to forget
		}
		vk, gk := c.entryKeys(inv.Cache, inv.Key)
		pipe.Eval(ctx, invalidateScript, []string{vk, gk}, genTTL)
	}
	if pipe.Len() == 0 {
		return nil
	}
	_, err := pipe.Exec(ctx)
	return err
}

// entryKeys returns the value and generation keys of a Loader's entry, as Loader.Keys does,
// for entries named by a Journal row rather than a Loader.
func (c *Cache) entryKeys(name, key string) (value, generation string) {
	value = c.cfg.KeyPrefix + "{" + name + ":" + key + "}"
	return value, value + ":gen"
}
