package access

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// BatchStore writes many events at once.
type BatchStore interface {
	RecordAccesses(ctx context.Context, events []Event) error
}

// Buffer records access events off the request path: events queue in memory and are written
// in multi-row inserts every FlushEvery (or when MaxBatch are waiting). When the queue is full
// the caller writes its event itself, so a slow database slows readers down instead of losing
// events. Close drains the queue; events still queued when the process dies without Close (at
// most FlushEvery's worth) are lost — the price of keeping a verification to one Redis read.
type Buffer struct {
	store      BatchStore
	log        *slog.Logger
	flushEvery time.Duration
	maxBatch   int

	queue chan Event
	done  chan struct{}
	once  sync.Once
	mu    sync.RWMutex // held for reading while enqueueing, for writing by Close
	shut  bool
}

// NewBuffer starts a buffer that writes to store.
func NewBuffer(store BatchStore, log *slog.Logger, flushEvery time.Duration, maxBatch, queue int) *Buffer {
	b := &Buffer{store: store, log: log, flushEvery: flushEvery, maxBatch: maxBatch,
		queue: make(chan Event, queue), done: make(chan struct{})}
	go b.run()
	return b
}

// RecordAccess queues e, or writes it at once when the queue is full or closed.
func (b *Buffer) RecordAccess(ctx context.Context, e Event) error {
	b.mu.RLock()
	if !b.shut {
		select {
		case b.queue <- e:
			b.mu.RUnlock()
			return nil
		default:
		}
	}
	b.mu.RUnlock()
	return b.store.RecordAccesses(ctx, []Event{e})
}

func (b *Buffer) run() {
	defer close(b.done)
	tick := time.NewTicker(b.flushEvery)
	defer tick.Stop()
	batch := make([]Event, 0, b.maxBatch)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := b.store.RecordAccesses(ctx, batch)
		cancel()
		if err != nil {
			// One retry; then the events are reported lost, by count only.
			ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
			err = b.store.RecordAccesses(ctx, batch)
			cancel()
			if err != nil {
				b.log.Error("access events could not be written and are lost", "events", len(batch), "error", err.Error())
			}
		}
		batch = batch[:0]
	}
	for {
		select {
		case e, ok := <-b.queue:
			if !ok {
				flush()
				return
			}
			batch = append(batch, e)
			if len(batch) >= b.maxBatch {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// Close stops queueing, writes what is queued and returns when it is written.
func (b *Buffer) Close() {
	b.once.Do(func() {
		b.mu.Lock()
		b.shut = true
		close(b.queue)
		b.mu.Unlock()
		<-b.done
	})
}
