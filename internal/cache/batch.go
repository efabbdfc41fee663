package cache

import (
	"context"

	"skillrecord/internal/groupcommit"
)

// Reads of concurrent requests can travel to Redis together. Every authenticated request
// reads at least the token's deny-list entry; a burst of requests each sending its own MGET
// pays a command, two system calls and a wake-up of its goroutine a request, in this process
// and in Redis. With ReadBatchers set, a read is handed to one of that many goroutines, which
// takes every read queued at that moment (up to maxReadBatch requests' reads) and sends them
// in one MGET (on Redis Cluster, one pipeline): a lone read goes at once, so a quiet server
// pays only the hand-over, and under a burst many requests share one round trip.
const (
	maxReadBatch   = 128  // requests' reads in one round trip at most
	readBatchQueue = 4096 // requests waiting for a round trip at most
)

// readBatch is the hand-over to the batching goroutines.
type readBatch = groupcommit.Committer[[]*read]

// startReadBatch starts the batching goroutines when the Config asks for them.
func (c *Cache) startReadBatch() {
	if c.cfg.ReadBatchers <= 0 {
		return
	}
	c.batch = groupcommit.New(func(ctx context.Context, group [][]*read, results []error) {
		n := 0
		for _, reads := range group {
			n += len(reads)
		}
		all := make([]*read, 0, n)
		for _, reads := range group {
			all = append(all, reads...)
		}
		c.fetchNow(ctx, all) // sets each read's outcome; the results stay nil
	}, groupcommit.Options{
		Writers: c.cfg.ReadBatchers, MaxGroup: maxReadBatch, Queue: readBatchQueue,
		Timeout: 2 * c.cfg.OpTimeout, // the breaker bounds the call itself by OpTimeout
	})
}

// fetch reads every read's value and generation in one round trip: its own, or, with
// ReadBatchers, shared with the reads of other requests queued at the same moment. A read
// that could not be queued fails like a Redis error: when the Cache is closed, its Get
// answers from the source; when the caller's context ended while the queue was full, its Get
// returns the context's error, as after any read its caller gave up on (nothing is loaded or
// counted as a request, and the reads prefetched with it fail too). Either way
// skillrecord_cache_read_batch_refused_total counts it: a queue that stays full is a Redis
// too slow for the load.
func (c *Cache) fetch(ctx context.Context, reads []*read) {
	if c.batch == nil {
		c.fetchNow(ctx, reads)
		return
	}
	if err := c.batch.Submit(ctx, reads); err != nil {
		c.metrics.unbatched.Inc()
		for _, r := range reads {
			r.err, r.done = err, true
		}
	}
}
