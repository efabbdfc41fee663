package cache

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker/v2"
)

// ErrCircuitOpen is returned (wrapped) by Invalidate when Redis was skipped because the
// circuit breaker is open.
var ErrCircuitOpen = errors.New("cache: redis circuit open")

// errCallerGone marks a call that failed because the caller's own context ended; it
// says nothing about Redis and is excluded from the breaker's counts.
var errCallerGone = errors.New("cache: caller context done")

// breaker guards every Redis call of a Cache: consecutive failures open it, and while
// open Redis is skipped until a trial call after the cooldown succeeds.
type breaker struct {
	cb        *gobreaker.TwoStepCircuitBreaker[struct{}]
	opTimeout time.Duration
	lastErr   atomic.Pointer[string] // message of the latest failure, for the state log
}

// newBreaker builds the breaker; onOpen is called each time the circuit opens.
func newBreaker(cfg Config, log *slog.Logger, gauge prometheus.Gauge, onOpen func()) *breaker {
	b := &breaker{opTimeout: cfg.OpTimeout}
	failures := cfg.BreakerFailures
	b.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        "redis",
		MaxRequests: 1, // one trial call in half-open
		Timeout:     cfg.BreakerCooldown,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= failures },
		IsExcluded:  func(err error) bool { return errors.Is(err, errCallerGone) },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			// One WARN when Redis is lost and one INFO when it is back; the
			// open <-> half-open cycling of a long outage is logged at DEBUG.
			switch {
			case to == gobreaker.StateOpen && from == gobreaker.StateClosed:
				gauge.Set(1)
				onOpen()
				var last string
				if p := b.lastErr.Load(); p != nil {
					last = *p
				}
				log.Warn("redis circuit opened; serving from the database",
					"consecutive_failures", failures, "cooldown", cfg.BreakerCooldown, "last_err", last)
			case to == gobreaker.StateOpen:
				gauge.Set(1)
				onOpen()
				log.Debug("redis trial call failed; circuit open again", "cooldown", cfg.BreakerCooldown)
			case to == gobreaker.StateHalfOpen:
				log.Debug("redis circuit half-open; trying redis again")
			case to == gobreaker.StateClosed:
				gauge.Set(0)
				log.Info("redis circuit closed; cache in use again")
			}
		},
	})
	return b
}

// do runs op through the breaker with a context limited to the OpTimeout. It returns
// ErrCircuitOpen without calling op while the circuit is open (or while the half-open
// trial call is in progress). redis.Nil counts as success.
func (b *breaker) do(ctx context.Context, op func(context.Context) error) error {
	done, err := b.cb.Allow()
	if err != nil {
		return ErrCircuitOpen
	}
	// The timeout's context hangs from ctx without its cancellation when ctx has no deadline
	// (a request's context): the call ends by OpTimeout all the same, and registering a child
	// with the request's context cost a map and a lock on every cache hit. A caller that went
	// away is still told apart below, by ctx.
	parent := ctx
	if _, ok := ctx.Deadline(); !ok && ctx.Done() != nil {
		parent = context.WithoutCancel(ctx)
	}
	opCtx, cancel := context.WithTimeout(parent, b.opTimeout)
	err = op(opCtx)
	cancel()
	switch {
	case err == nil || errors.Is(err, redis.Nil):
		done(nil)
	case ctx.Err() != nil:
		done(errCallerGone)
	default:
		msg := err.Error()
		b.lastErr.Store(&msg)
		done(err)
	}
	return err
}

// open reports whether the circuit is open.
func (b *breaker) open() bool { return b.cb.State() == gobreaker.StateOpen }
