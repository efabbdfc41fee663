// Package redistest holds what tests need to watch a go-redis client: a hook that counts its
// round trips and the commands they carry. It is for tests only and knows nothing of the
// service; production code never imports it.
package redistest

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Calls is a go-redis hook (add it with client.AddHook) that counts round trips — one per
// command or pipeline the caller sends — and the commands sent, by name, alone or in a
// pipeline. A cluster client hands its hooks to its node clients too, and splits a pipeline
// whose keys sit on several masters into one per node; those nested calls carry the context of
// the call that was counted and are not counted again.
type Calls struct {
	trips atomic.Int64
	mu    sync.Mutex
	names map[string]int64
}

var _ redis.Hook = (*Calls)(nil)

// Trips returns the round trips counted so far.
func (c *Calls) Trips() int64 { return c.trips.Load() }

// Commands returns how many commands of the name (lower case, as go-redis names them: "mget")
// were sent so far.
func (c *Calls) Commands(name string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.names[name]
}

type countedKey struct{}

// count counts one round trip of cmds unless ctx says it was counted already, and returns the
// context that says it was.
func (c *Calls) count(ctx context.Context, cmds ...redis.Cmder) context.Context {
	if ctx.Value(countedKey{}) != nil {
		return ctx
	}
	c.trips.Add(1)
	c.mu.Lock()
	if c.names == nil {
		c.names = map[string]int64{}
	}
	for _, cmd := range cmds {
		c.names[cmd.Name()]++
	}
	c.mu.Unlock()
	return context.WithValue(ctx, countedKey{}, true)
}

// DialHook implements redis.Hook.
func (c *Calls) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook implements redis.Hook.
func (c *Calls) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { return next(c.count(ctx, cmd), cmd) }
}

// ProcessPipelineHook implements redis.Hook.
func (c *Calls) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { return next(c.count(ctx, cmds...), cmds) }
}
