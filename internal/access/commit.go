package access

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"skillrecord/internal/errs"
)

// BatchStore writes many events at once, in one statement where it can.
type BatchStore interface {
	RecordAccesses(ctx context.Context, events []Event) error
}

// Committer records access events durably before the read is answered, by group commit: a
// caller's RecordAccess returns only once its event is committed. A committer goroutine takes
// whatever is queued — at most maxBatch events — writes it in one multi-row insert and tells
// every waiting caller the result, then takes the next group. When nothing else is queued a
// lone event is written at once, so a quiet server pays one insert's latency; under load,
// callers that arrive while an insert runs share the next one. A few committers run side by
// side, so that the database can overlap their commits (its own group commit of the log).
//
// A failed write fails every caller of that group with 503 unavailable: no answer goes out
// without its event, and no event is dropped silently. The queue is bounded (callers wait
// for room), so a slow database slows readers down instead of growing memory.
type Committer struct {
	store    BatchStore
	maxBatch int
	timeout  time.Duration

	mu      sync.RWMutex // held for reading while queueing, for writing by Close
	shut    bool
	queue   chan *waiter
	stop    chan struct{}
	running sync.WaitGroup
	once    sync.Once
	batches atomic.Uint64
	events  atomic.Uint64
}

// waiter is one caller's event and the channel on which it hears the result.
type waiter struct {
	e      Event
	result chan error
}

var waiters = sync.Pool{New: func() any { return &waiter{result: make(chan error, 1)} }}

// NewCommitter starts workers committer goroutines writing to store in groups of at most
// maxBatch events, with at most queue events waiting for a group. Stop it with Close.
func NewCommitter(store BatchStore, workers, maxBatch, queue int) *Committer {
	c := &Committer{store: store, maxBatch: max(maxBatch, 1), timeout: 10 * time.Second,
		queue: make(chan *waiter, queue), stop: make(chan struct{})}
	for range max(workers, 1) {
		c.running.Add(1)
		go c.run()
	}
	return c
}

// errClosed is returned to callers that arrive after Close.
var errClosed = errors.New("access: committer closed")

// RecordAccess returns when e is committed, or with the error that kept it from being
// committed (503 unavailable), or ctx's error. A caller whose ctx ends while it waits must
// not answer its read; its event may still be committed, which errs on the side of the worker.
func (c *Committer) RecordAccess(ctx context.Context, e Event) error {
	w := waiters.Get().(*waiter)
	w.e = e
	c.mu.RLock()
	if c.shut {
		c.mu.RUnlock()
		waiters.Put(w)
		return unavailable(errClosed)
	}
	select {
	case c.queue <- w:
		c.mu.RUnlock()
	case <-ctx.Done():
		c.mu.RUnlock()
		waiters.Put(w)
		return ctx.Err()
	}
	select {
	case err := <-w.result:
		w.e = Event{}
		waiters.Put(w) // the committer has let go of w once it has sent the result
		return err
	case <-ctx.Done():
		return ctx.Err() // w is still the committer's: it is left to the garbage collector
	}
}

func unavailable(err error) error {
	return errs.Unavailable("unavailable", "the access log could not be written; try again").WithCause(err)
}

// Waiting returns how many events are queued for the next group.
func (c *Committer) Waiting() int { return len(c.queue) }

// Stats returns how many inserts (groups) were written and how many events they carried.
func (c *Committer) Stats() (batches, events uint64) { return c.batches.Load(), c.events.Load() }

func (c *Committer) run() {
	defer c.running.Done()
	group := make([]*waiter, 0, c.maxBatch)
	events := make([]Event, 0, c.maxBatch)
	for {
		select {
		case w := <-c.queue:
			group = append(group[:0], w)
		case <-c.stop:
			// Close: whoever got into the queue before it still gets an answer.
			for {
				select {
				case w := <-c.queue:
					c.commit([]*waiter{w}, events[:0])
				default:
					return
				}
			}
		}
	gather:
		for len(group) < c.maxBatch {
			select {
			case w := <-c.queue:
				group = append(group, w)
			default:
				break gather
			}
		}
		c.commit(group, events[:0])
		clear(group)
	}
}

// commit writes the group's events in one call and answers every waiter.
func (c *Committer) commit(group []*waiter, events []Event) {
	for _, w := range group {
		events = append(events, w.e)
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	err := c.store.RecordAccesses(ctx, events)
	cancel()
	clear(events)
	if err != nil {
		err = unavailable(err)
	} else {
		c.batches.Add(1)
		c.events.Add(uint64(len(group)))
	}
	for _, w := range group {
		w.result <- err
	}
}

// Close stops taking events, answers those already queued, and returns when the last group
// is written. Later RecordAccess calls fail with 503.
func (c *Committer) Close() {
	c.once.Do(func() {
		c.mu.Lock()
		c.shut = true
		c.mu.Unlock()
		close(c.stop)
		c.running.Wait()
	})
}
