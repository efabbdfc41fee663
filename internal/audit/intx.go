package audit

import (
	"context"
	"slices"
)

// Prepare gives the Collector the skeleton of the request's event: the middleware calls it
// before the request runs, with a function that builds the event as it stands when a
// transaction is about to commit (actor, action, target, request id, client IP, time and the
// status of the write's success), and reports false when the request is not audited. The
// workers touched so far are added by Pending. A later Prepare (an inner installation of the
// middleware) replaces an earlier one.
func (c *Collector) Prepare(build func() (Event, bool)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prepare = build
}

// Committed reports whether the request's event was committed in one of its transactions,
// and its id.
func (c *Collector) Committed() (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.eventID, c.eventID != 0
}

// Late returns the workers touched after the request's event was committed (they are not in
// it: Touch belongs inside the write's transaction), sorted, without repeats.
func (c *Collector) Late() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.eventID == 0 {
		return nil
	}
	return slices.DeleteFunc(c.touched(), func(w string) bool {
		_, found := slices.BinarySearch(c.recorded, w)
		return found
	})
}

// Pending is the request's audit event, handed to the transaction that is about to commit
// the request's write. The transaction appends Event, then reports the outcome with Settle.
type Pending struct {
	Event Event
	c     *Collector
}

type noEventKey struct{}

// WithoutEvent returns ctx whose transactions carry no audit event: for work done on behalf
// of more than the request in ctx (a flush shared by many requests, a background job started
// from a request). The request's event is then recorded by the middleware as before.
func WithoutEvent(ctx context.Context) context.Context {
	return context.WithValue(ctx, noEventKey{}, true)
}

// PendingIn returns the audit event that the transaction about to commit in ctx must append
// (sqlstore's WithTx calls it for every outermost transaction, just before the commit). There
// is one when ctx belongs to an audited request whose event has not been committed yet, is
// not held by another transaction still running, and has not been recorded by the
// middleware. The caller must call Settle exactly once.
func PendingIn(ctx context.Context) (*Pending, bool) {
	if ctx.Value(noEventKey{}) != nil {
		return nil, false
	}
	c, ok := CollectorFrom(ctx)
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	build := c.prepare
	if build == nil || c.done || c.inflight || c.eventID != 0 {
		c.mu.Unlock()
		return nil, false
	}
	c.inflight = true
	c.mu.Unlock()

	e, audited := build()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !audited {
		c.inflight = false
		return nil, false
	}
	e.WorkerIDs = c.touched()
	return &Pending{Event: e, c: c}, true
}

// Settle reports how the transaction that took p ended: committed with the event stored as
// id, or not (rolled back, or the commit failed). Only a committed event counts: after a
// rollback the next transaction of the request (a retry) takes the event again.
func (p *Pending) Settle(id int64, committed bool) {
	c := p.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight = false
	if committed {
		c.eventID = id
		c.recorded = slices.Clone(p.Event.WorkerIDs)
	}
}
