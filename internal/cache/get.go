package cache

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"
)

// Get returns the value for key: from Redis on a hit, otherwise from load, whose result
// is then stored for the Loader's ttl. key must not contain personal data.
//
// Concurrent Gets of the same key in this process share one call of load; the load runs
// on a context detached from the callers' cancellation, so one caller giving up does not
// fail the others (a caller whose ctx ends gets ctx.Err()). load's error is returned as
// it is and nothing is cached. Redis never causes an error: a Redis or decode error, or
// an open circuit, is counted and answered by load. A panic in load is re-raised in
// every caller waiting for it.
func (l *Loader[T]) Get(ctx context.Context, key string, load func(ctx context.Context) (T, error)) (T, error) {
	vk, gk := l.Keys(key)
	own, others := takeReads(ctx, vk)
	if own == nil {
		own = &read{vk: vk, gk: gk}
		l.c.fetch(ctx, append(others, own))
	}
	vals, err := own.vals, own.err

	var gen string
	genKnown := false
	switch {
	case err == nil && len(vals) == 2:
		gen, _ = vals[1].(string)
		genKnown = true
		if s, ok := vals[0].(string); ok {
			v, derr := l.decode(vk, s)
			if derr == nil {
				l.m.hit.Inc()
				return v, nil
			}
			l.m.error.Inc()
			l.m.errDecode.Inc()
			l.c.log.Debug("cache value unreadable; reloading", "cache", l.name, "err", derr)
		} else {
			l.m.miss.Inc()
		}
	case errors.Is(err, ErrCircuitOpen):
		l.m.bypass.Inc()
	case ctx.Err() != nil:
		var zero T
		return zero, ctx.Err()
	default:
		l.m.error.Inc()
		l.m.errRead.Inc()
		l.c.log.Debug("cache read failed; loading from source", "cache", l.name, "err", err)
	}

	// The flight key separates loads that cannot share a result: a Get that saw a newer
	// generation, or started after a local Invalidate, gets a load of its own.
	fk := key + "\x00" + strconv.FormatUint(l.epoch.Load(), 10)
	if genKnown {
		fk += "\x00g" + gen
	} else {
		fk += "\x00x"
	}
	ch := l.group.DoChan(fk, func() (any, error) {
		return l.loadAndStore(context.WithoutCancel(ctx), vk, gk, gen, genKnown, load)
	})
	select {
	case r := <-ch:
		var pe *panicError
		if errors.As(r.Err, &pe) {
			panic(pe)
		}
		v, _ := r.Val.(T)
		return v, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// decode opens (with the Sealer, if any) and decodes a stored value.
func (l *Loader[T]) decode(vk, s string) (T, error) {
	b := []byte(s)
	if l.sealer != nil {
		var err error
		if b, err = l.sealer.Open(b, []byte(vk)); err != nil {
			var zero T
			return zero, fmt.Errorf("open: %w", err)
		}
	}
	return l.codec.Decode(b)
}

// loadAndStore calls load and, when it succeeds and the generation read with the miss is
// known, stores the value if that generation is still current.
func (l *Loader[T]) loadAndStore(ctx context.Context, vk, gk, gen string, genKnown bool,
	load func(context.Context) (T, error)) (v T, err error) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{value: p, stack: debug.Stack()}
		}
	}()
	v, err = load(ctx)
	l.m.load.Observe(time.Since(start).Seconds())
	if err != nil || !genKnown {
		return v, err
	}
	// A load slower than this may have outlived the generation key it relies on.
	if time.Since(start) > maxStoreAge {
		return v, nil
	}
	l.store(ctx, vk, gk, gen, v)
	return v, nil
}

// Prime stores v for key as a Get's load would, for a value known when the thing it describes
// is made (a token just issued is not revoked), so that its first Get is a hit. It writes
// nothing when key has ever been invalidated within the ttl (its generation is set): an
// invalidation always wins. Like a Get's store, it never fails the caller.
func (l *Loader[T]) Prime(ctx context.Context, key string, v T) {
	vk, gk := l.Keys(key)
	l.store(ctx, vk, gk, "", v)
}

// store writes v under vk with the ttl, only if the generation at gk still equals gen.
// Failures are counted and logged at DEBUG; they never reach the caller.
func (l *Loader[T]) store(ctx context.Context, vk, gk, gen string, v T) {
	if !l.c.trust.ok() {
		return // an invalidation may be pending replay: do not write over it
	}
	b, err := l.codec.Encode(v)
	if err == nil && l.sealer != nil {
		b, err = l.sealer.Seal(b, []byte(vk))
	}
	if err != nil {
		l.m.errEncode.Inc()
		l.c.log.Debug("cache value not encodable; not stored", "cache", l.name, "err", err)
		return
	}
	err = l.c.breaker.do(ctx, func(ctx context.Context) error {
		return storeScript.Run(ctx, l.c.client, []string{vk, gk}, gen, b, l.ttlMS).Err()
	})
	if err != nil && !errors.Is(err, ErrCircuitOpen) {
		l.m.errStore.Inc()
		l.c.log.Debug("cache store failed", "cache", l.name, "err", err)
	}
}

// panicError carries a panic of a load function to the callers waiting for it.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("cache: load panicked: %v\n\n%s", p.value, p.stack)
}
