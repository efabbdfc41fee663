package audit

import (
	"context"
	"slices"
	"sync"
)

// Collector gathers what a request's audit event needs from deeper layers: the workers it
// touched, and the event itself for the transaction that commits the request's write (see
// Pending). The audit middleware puts one into the request context; Touch fills it. It is
// safe for concurrent use.
type Collector struct {
	requestID string

	mu       sync.Mutex
	workers  []string
	done     bool                 // the middleware has claimed the recording
	prepare  func() (Event, bool) // the middleware's skeleton of the event, if any
	inflight bool                 // a transaction holds the event and has not ended
	eventID  int64                // the event committed in a transaction, once there is one
	recorded []string             // the workers of that event
}

type collectorKey struct{}

// NewContext returns ctx carrying a new Collector for the request requestID, and the
// Collector. If ctx carries one already (the middleware is installed twice), that one is
// returned with nested = true, and the outer installation should leave the recording to the
// inner one.
func NewContext(ctx context.Context, requestID string) (_ context.Context, _ *Collector, nested bool) {
	if c, ok := ctx.Value(collectorKey{}).(*Collector); ok {
		return ctx, c, true
	}
	c := &Collector{requestID: requestID}
	return context.WithValue(ctx, collectorKey{}, c), c, false
}

// CollectorFrom returns the request's Collector, if the audit middleware installed one.
func CollectorFrom(ctx context.Context) (*Collector, bool) {
	c, ok := ctx.Value(collectorKey{}).(*Collector)
	return c, ok
}

// Touch announces that the request in ctx read or changed the data of workerIDs (opaque
// ids), so that its audit event can be found by worker. Call it inside the transaction of
// the write (before it commits): the event committed with the write holds the workers
// touched until then. Without a Collector in ctx (outside a request, or in a test without
// the middleware) it does nothing.
func Touch(ctx context.Context, workerIDs ...string) {
	c, ok := CollectorFrom(ctx)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range workerIDs {
		if id != "" {
			c.workers = append(c.workers, id)
		}
	}
}

// RequestID returns the id of the request in ctx, or "" when there is none.
func RequestID(ctx context.Context) string {
	if c, ok := CollectorFrom(ctx); ok {
		return c.requestID
	}
	return ""
}

// Workers returns the workers touched so far, sorted, without repeats.
func (c *Collector) Workers() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.touched()
}

func (c *Collector) touched() []string {
	out := slices.Clone(c.workers)
	slices.Sort(out)
	return slices.Compact(out)
}

// Claim reports whether the caller is the first to record this request's event after the
// request; later callers (an outer installation of the middleware) get false. After a Claim
// no transaction takes the event any more (Pending).
func (c *Collector) Claim() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done {
		return false
	}
	c.done = true
	return true
}
