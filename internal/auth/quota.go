package auth

import (
	"context"
	"time"
)

// Quota counts spent attempts — lookups that found nothing — per key in a fixed window.
// Unlike Throttle, which is asked before every attempt, a quota is spent only by attempts
// that miss, and Blocked answers from memory, so that a caller within its quota pays no
// round trip for the check. Package ratelimit implements it.
type Quota interface {
	// Blocked returns the indexes of the keys this instance last saw at or over their limit
	// (nil when none), without I/O. The caller spends those keys before answering: the
	// window may have ended elsewhere.
	Blocked(keys ...ThrottleKey) []int
	// Spend counts one attempt against every key and tells whether any is now over its limit.
	Spend(ctx context.Context, keys ...ThrottleKey) Verdict
}

// Verdict is what a Quota answers to a spent attempt.
type Verdict struct {
	// Wait is how long the caller must wait: the longest time left in the window of any key
	// over its limit, or 0 when none is.
	Wait time.Duration
	// Over holds the indexes of the keys over their limit; First those of them that went over
	// with this attempt (the first excess of the window, once per window).
	Over, First []int
}
