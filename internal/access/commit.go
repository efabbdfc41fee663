package access

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/groupcommit"
)

// BatchStore writes many events at once, in one statement where it can.
type BatchStore interface {
	RecordAccesses(ctx context.Context, events []Event) error
}

// Committer records access events durably before the read is answered, by group commit
// (internal/groupcommit): a caller's RecordAccess returns only once its event is committed.
// A committer goroutine takes whatever is queued — at most maxBatch events — writes it in one
// multi-row insert and tells every waiting caller the result, then takes the next group. When
// nothing else is queued a lone event is written at once, so a quiet server pays one
// insert's latency; under load, callers that arrive while an insert runs share the next one.
// A few committers run side by side, so that the database can overlap their commits (its own
// group commit of the log).
//
// A failed write fails every caller of that group with 503 unavailable: no answer goes out
// without its event, and no event is dropped silently. The queue is bounded (callers wait
// for room), so a slow database slows readers down instead of growing memory.
type Committer struct {
	store   BatchStore
	group   *groupcommit.Committer[Event]
	batches atomic.Uint64
	events  atomic.Uint64
}

// NewCommitter starts workers committer goroutines writing to store in groups of at most
// maxBatch events, with at most queue events waiting for a group. Stop it with Close.
func NewCommitter(store BatchStore, workers, maxBatch, queue int) *Committer {
	c := &Committer{store: store}
	c.group = groupcommit.New(c.write, groupcommit.Options{
		Writers: workers, MaxGroup: maxBatch, Queue: queue, Timeout: 10 * time.Second,
	})
	return c
}

// errClosed is returned to callers that arrive after Close.
var errClosed = errors.New("access: committer closed")

// RecordAccess returns when e is committed, or with the error that kept it from being
// committed (503 unavailable), or ctx's error when ctx ends while it waits for room in the
// queue. Once queued, the caller waits for its group's outcome (bounded by the write's 10 s).
func (c *Committer) RecordAccess(ctx context.Context, e Event) error {
	err := c.group.Submit(ctx, e)
	if errors.Is(err, groupcommit.ErrClosed) {
		return unavailable(errClosed)
	}
	return err
}

// write is the group commit's write: one call to the store for the whole group.
func (c *Committer) write(ctx context.Context, events []Event, results []error) {
	err := c.store.RecordAccesses(ctx, events)
	if err != nil {
		err = unavailable(err)
	} else {
		c.batches.Add(1)
		c.events.Add(uint64(len(events)))
	}
	for i := range results {
		results[i] = err
	}
}

func unavailable(err error) error {
	return errs.Unavailable("unavailable", "the access log could not be written; try again").WithCause(err)
}

// Waiting returns how many events are queued for the next group.
func (c *Committer) Waiting() int { return c.group.Waiting() }

// Stats returns how many inserts (groups) were written successfully and how many events they
// carried.
func (c *Committer) Stats() (batches, events uint64) { return c.batches.Load(), c.events.Load() }

// Close stops taking events, answers those already queued, and returns when the last group
// is written. Later RecordAccess calls fail with 503.
func (c *Committer) Close() { c.group.Close() }
