package ratelimit

import (
	"sync"
	"time"
)

// Local is an in-process fixed-window counter with a bounded number of keys. It stands in for
// Redis while Redis cannot be reached, so that limits never fail open, and it remembers the
// last count Redis answered for each key this instance touched, so that an outage continues
// from the count reached before it and a caller already over a limit can be refused without a
// round trip. Counts are per instance: with several instances behind a balancer, each one
// counts the requests it sees.
//
// Memory is bounded by max keys: expired windows are swept first, then the keys with the
// lowest counts are dropped. A caller spraying new keys therefore pushes out single attempts
// before it pushes out the counter of an address or account that is close to its limit.
type Local struct {
	mu   sync.Mutex
	max  int
	keys map[string]*window
}

// window is one key's count and the end of its window.
type window struct {
	n   int
	end time.Time
}

// MinLocalKeys is the smallest bound NewLocal accepts; smaller ones are raised to it.
const MinLocalKeys = 16

// NewLocal returns a counter that holds at most max keys.
func NewLocal(max int) *Local {
	if max < MinLocalKeys {
		max = MinLocalKeys
	}
	return &Local{max: max, keys: make(map[string]*window)}
}

// Add counts one against key at now; the first count starts a window of length w. It returns
// the count and the time left in the window.
func (l *Local) Add(key string, w time.Duration, now time.Time) (int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.live(key, now)
	if e == nil {
		e = l.insert(key, &window{end: now.Add(w)}, now)
	}
	e.n++
	return e.n, e.end.Sub(now)
}

// Peek returns key's count and the time left in its window at now, or 0, 0.
func (l *Local) Peek(key string, now time.Time) (int, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.live(key, now); e != nil {
		return e.n, e.end.Sub(now)
	}
	return 0, 0
}

// Set records a count that Redis answered: key stands at n until now+left. A count of 0 or a
// window already over forgets the key.
func (l *Local) Set(key string, n int, left time.Duration, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n <= 0 || left <= 0 {
		delete(l.keys, key)
		return
	}
	if e, ok := l.keys[key]; ok {
		e.n, e.end = n, now.Add(left)
		return
	}
	l.insert(key, &window{n: n, end: now.Add(left)}, now)
}

// Delete forgets key.
func (l *Local) Delete(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

// Len is the number of keys held, expired ones not yet swept included.
func (l *Local) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// live returns key's window if it has not ended at now; an ended one is removed.
func (l *Local) live(key string, now time.Time) *window {
	e, ok := l.keys[key]
	if !ok {
		return nil
	}
	if !now.Before(e.end) {
		delete(l.keys, key)
		return nil
	}
	return e
}

// insert adds e under key, making room first when the map is full.
func (l *Local) insert(key string, e *window, now time.Time) *window {
	if len(l.keys) >= l.max {
		l.evict(now)
	}
	l.keys[key] = e
	return e
}

// evict sweeps ended windows; if that frees less than a tenth of the bound, it drops the keys
// with the lowest counts, raising the bar until a tenth is free. Each sweep costs one pass
// over the map per bar, and buys room for a tenth of the bound of new keys.
func (l *Local) evict(now time.Time) {
	target := l.max - l.max/10
	for k, e := range l.keys {
		if !now.Before(e.end) {
			delete(l.keys, k)
		}
	}
	for bar := 1; len(l.keys) > target; bar *= 2 {
		for k, e := range l.keys {
			if e.n <= bar {
				delete(l.keys, k)
				if len(l.keys) <= target {
					return
				}
			}
		}
	}
}
