package relay

import (
	"context"
	"sync"
	"time"
)

// marker marks acknowledged ranges sent in the background, in order, one UPDATE for all the
// ranges waiting (they are consecutive), so that the next batch is published meanwhile. A
// failed UPDATE is retried until it succeeds or the relay stops, and publishing pauses
// meanwhile; rows left unsent are published again by the next holder of the lease (JetStream
// drops the copies).
type marker struct {
	r       *Relay
	ctx     context.Context // retries of a failed UPDATE end with it
	ranges  chan span
	done    chan struct{}
	errMu   sync.Mutex
	lastErr error
}

type span struct {
	first, last int64
	n           int
}

func newMarker(ctx context.Context, r *Relay) *marker {
	m := &marker{r: r, ctx: ctx, ranges: make(chan span, 8), done: make(chan struct{})}
	go m.run()
	return m
}

// mark queues first…last (n events); it blocks while eight ranges wait already.
func (m *marker) mark(first, last int64, n int) { m.ranges <- span{first, last, n} }

// close marks what is queued and stops.
func (m *marker) close() {
	close(m.ranges)
	<-m.done
}

// failed reports the last failure of an UPDATE while it is being retried.
func (m *marker) failed() error {
	m.errMu.Lock()
	defer m.errMu.Unlock()
	return m.lastErr
}

func (m *marker) run() {
	defer close(m.done)
	for s := range m.ranges {
		for more := true; more; {
			select {
			case next, ok := <-m.ranges:
				if !ok {
					more = false
					break
				}
				s = span{s.first, next.last, s.n + next.n}
			default:
				more = false
			}
		}
		for attempt := 1; ; attempt++ {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(m.ctx), 30*time.Second)
			err := m.r.Outbox.MarkSent(ctx, s.first, s.last, m.r.Now())
			cancel()
			m.errMu.Lock()
			m.lastErr = err
			m.errMu.Unlock()
			if err == nil {
				break
			}
			m.r.Log.Warn("event relay: marking events sent failed; retrying", "error", err.Error())
			if !sleep(m.ctx, time.Duration(min(attempt, 20))*100*time.Millisecond) {
				break // stopping: left unsent, the next holder of the lease sends them again
			}
		}
		if m.r.Published != nil && m.failed() == nil {
			m.r.Published(s.n)
		}
	}
}
