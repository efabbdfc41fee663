// Package groupcommit writes many callers' small writes in shared transactions (group
// commit): a caller's Submit returns only once its item is committed, and the items of
// callers that arrive while a write is running share the next one. A lone item is written at
// once, so a quiet server pays one write's latency; under load, many items share one
// transaction's statements and its commit (one log flush) instead of paying each its own.
package groupcommit

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// WriteFunc writes one group of items and reports each item's outcome in results (same
// length as group, all nil when called). It must set every result: a group that failed as a
// whole sets the same error in each.
type WriteFunc[T any] func(ctx context.Context, group []T, results []error)

// Committer takes items from callers and writes them in groups of at most MaxGroup with a
// few writer goroutines side by side, so that the database can overlap their commits. The
// queue is bounded: callers wait for room, so a slow database slows callers down instead of
// growing memory.
type Committer[T any] struct {
	write    WriteFunc[T]
	maxGroup int
	timeout  time.Duration

	mu      sync.RWMutex // held for reading while queueing, for writing by Close
	shut    bool
	queue   chan *waiter[T]
	stop    chan struct{}
	running sync.WaitGroup
	once    sync.Once
	groups  atomic.Uint64
	items   atomic.Uint64
	waiters sync.Pool // of *waiter[T]: a Submit allocates nothing once warm
}

// Options size a Committer.
type Options struct {
	Writers  int           // writer goroutines (≥ 1)
	MaxGroup int           // items per write at most (≥ 1)
	Queue    int           // items waiting for a write at most
	Timeout  time.Duration // bound on one group's write; 0 means 10 s
}

type waiter[T any] struct {
	item   T
	result chan error
}

// ErrClosed is the error of a Submit after Close.
var ErrClosed = errors.New("groupcommit: committer closed")

// New starts a Committer writing groups with write. Stop it with Close.
func New[T any](write WriteFunc[T], o Options) *Committer[T] {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	c := &Committer[T]{write: write, maxGroup: max(o.MaxGroup, 1), timeout: o.Timeout,
		queue: make(chan *waiter[T], max(o.Queue, 0)), stop: make(chan struct{})}
	for range max(o.Writers, 1) {
		c.running.Add(1)
		go c.run()
	}
	return c
}

// Submit queues item and returns its outcome once its group is written: nil when committed.
// ctx bounds only the wait for room in the queue; once queued, the caller waits for the
// outcome (bounded by the committer's timeout), because the item may be committed whatever
// ctx does and the caller must know it.
func (c *Committer[T]) Submit(ctx context.Context, item T) error {
	w, _ := c.waiters.Get().(*waiter[T])
	if w == nil {
		w = &waiter[T]{result: make(chan error, 1)}
	}
	w.item = item
	c.mu.RLock()
	if c.shut {
		c.mu.RUnlock()
		c.release(w)
		return ErrClosed
	}
	select {
	case c.queue <- w:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		c.release(w)
		return ctx.Err()
	}
	err := <-w.result // the writer has let go of w once it has sent the result
	c.release(w)
	return err
}

// release returns a waiter to the pool, holding no item.
func (c *Committer[T]) release(w *waiter[T]) {
	var zero T
	w.item = zero
	c.waiters.Put(w)
}

// Stats returns how many groups were written and how many items they carried.
func (c *Committer[T]) Stats() (groups, items uint64) { return c.groups.Load(), c.items.Load() }

func (c *Committer[T]) run() {
	defer c.running.Done()
	group := make([]*waiter[T], 0, c.maxGroup)
	items := make([]T, 0, c.maxGroup)
	results := make([]error, c.maxGroup)
	for {
		select {
		case w := <-c.queue:
			group = append(group[:0], w)
		case <-c.stop:
			// Close: whoever got into the queue before it still gets an answer.
			for {
				select {
				case w := <-c.queue:
					c.commit([]*waiter[T]{w}, items[:0], results)
				default:
					return
				}
			}
		}
	gather:
		for len(group) < c.maxGroup {
			select {
			case w := <-c.queue:
				group = append(group, w)
			default:
				break gather
			}
		}
		c.commit(group, items[:0], results)
		clear(group)
	}
}

// commit writes one group and answers every waiter.
func (c *Committer[T]) commit(group []*waiter[T], items []T, results []error) {
	for _, w := range group {
		items = append(items, w.item)
	}
	results = results[:len(group)]
	clear(results)
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	c.write(ctx, items, results)
	cancel()
	clear(items)
	c.groups.Add(1)
	c.items.Add(uint64(len(group)))
	for i, w := range group {
		w.result <- results[i]
	}
}

// Close stops taking items, writes those already queued, and returns when the last group
// is written. Later Submit calls return ErrClosed.
func (c *Committer[T]) Close() {
	c.once.Do(func() {
		c.mu.Lock()
		c.shut = true
		c.mu.Unlock()
		close(c.stop)
		c.running.Wait()
	})
}

// Waiting returns how many items are queued for a group.
func (c *Committer[T]) Waiting() int { return len(c.queue) }
