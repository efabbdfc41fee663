package cache

import (
	"context"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"
)

// A read is one Loader key's value and generation, fetched ahead of its Get so that several
// reads of one request share a single round trip to Redis.
type read struct {
	vk, gk string
	done   bool
	vals   []any
	err    error
}

// pending holds the reads a request announced before it knew it would read them.
type pending struct {
	mu    sync.Mutex
	reads []*read
}

type pendingKey struct{}

// Prefetch returns ctx announcing that key of l will be read later in this request: the next
// Get of any Loader with this context fetches it in the same pipeline as its own read, and the
// Get of this key then answers from what was fetched without another round trip. The design
// asks a cached read to cost one round trip: the token deny-list check at the start of a
// request carries the record read along.
func (l *Loader[T]) Prefetch(ctx context.Context, key string) context.Context {
	vk, gk := l.Keys(key)
	r := &read{vk: vk, gk: gk}
	if p, ok := ctx.Value(pendingKey{}).(*pending); ok {
		p.mu.Lock()
		p.reads = append(p.reads, r)
		p.mu.Unlock()
		return ctx
	}
	return context.WithValue(ctx, pendingKey{}, &pending{reads: []*read{r}})
}

// takeReads returns the announced reads of ctx that are still to be fetched, and the already
// fetched one for vk, if any. A fetched read is used once: it leaves the list.
func takeReads(ctx context.Context, vk string) (fetched *read, toFetch []*read) {
	p, ok := ctx.Value(pendingKey{}).(*pending)
	if !ok {
		return nil, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	kept := p.reads[:0]
	for _, r := range p.reads {
		switch {
		case r.done && r.vk == vk && fetched == nil:
			fetched = r
			continue
		case !r.done:
			toFetch = append(toFetch, r)
		}
		kept = append(kept, r)
	}
	p.reads = kept
	return fetched, toFetch
}

// fetchNow reads every read's value and generation in one round trip through the breaker.
func (c *Cache) fetchNow(ctx context.Context, reads []*read) {
	if !c.trust.ok() {
		for _, r := range reads {
			r.err, r.done = errUntrusted, true
		}
		return
	}
	if len(reads) == 1 {
		r := reads[0]
		r.err = c.breaker.do(ctx, func(ctx context.Context) error {
			var err error
			r.vals, err = c.client.MGet(ctx, r.vk, r.gk).Result()
			return err
		})
		r.done = true
		return
	}
	if _, cluster := c.client.(*redis.ClusterClient); !cluster {
		c.fetchOne(ctx, reads)
		return
	}
	cmds := make([]*redis.SliceCmd, len(reads))
	err := c.breaker.do(ctx, func(ctx context.Context) error {
		pipe := c.client.Pipeline()
		for i, r := range reads {
			cmds[i] = pipe.MGet(ctx, r.vk, r.gk) // one slot each: the keys share a hash tag
		}
		_, err := pipe.Exec(ctx)
		return err
	})
	for i, r := range reads {
		r.done = true
		if err != nil {
			r.err = err
			continue
		}
		r.vals, r.err = cmds[i].Result()
	}
}

// fetchOne reads every read's value and generation with a single MGET: on one Redis node the
// keys need not share a slot, and one command costs the server and the client less than a
// pipeline of one MGET a read.
func (c *Cache) fetchOne(ctx context.Context, reads []*read) {
	keys := make([]string, 0, 2*len(reads))
	for _, r := range reads {
		keys = append(keys, r.vk, r.gk)
	}
	var vals []any
	err := c.breaker.do(ctx, func(ctx context.Context) error {
		var err error
		vals, err = c.client.MGet(ctx, keys...).Result()
		return err
	})
	if err == nil && len(vals) != len(keys) {
		err = fmt.Errorf("cache: MGET of %d keys answered %d values", len(keys), len(vals))
	}
	for i, r := range reads {
		r.done = true
		if err != nil {
			r.err = err
			continue
		}
		r.vals = vals[2*i : 2*i+2 : 2*i+2]
	}
}
