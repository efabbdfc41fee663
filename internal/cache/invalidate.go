package cache

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// generationTTL is how long a generation counter lives after its last Invalidate. It
// only has to outlive the loads in flight at that moment; loads slower than
// maxStoreAge are not stored, so a counter cannot expire under a load that still
// relies on it.
const (
	generationTTL = time.Hour
	maxStoreAge   = generationTTL / 2
)

// storeScript sets KEYS[1] = ARGV[2] with a ttl of ARGV[3] ms if the generation at
// KEYS[2] (missing = "") still equals ARGV[1]. It returns 1 when it wrote.
var storeScript = redis.NewScript(`
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`)

// invalidateScript increments the generation at KEYS[2] (expiring it after ARGV[1] ms)
// and deletes the value at KEYS[1], atomically.
const invalidateScript = `
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1
`

// Invalidate deletes the cached values of keys and makes sure loads already running for
// them do not store their results. Call it after the database change has committed.
//
// A failed invalidation is not lost. On failure (Redis unreachable, circuit open: the
// error wraps ErrCircuitOpen) this Cache stops reading Redis at once, records the keys in
// its Journal (the database) for every instance, and reads Redis again only after its
// replay loop has applied them (see the package doc); the error is returned for the caller
// to log. Gets in this process that start after Invalidate never share a load that began
// before it. With Redis Cluster the keys may live on different nodes; each key is
// invalidated atomically, and the keys are sent in one pipeline.
func (l *Loader[T]) Invalidate(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	l.epoch.Add(1)
	genTTL := strconv.FormatInt(generationTTL.Milliseconds(), 10)
	err := l.c.breaker.do(ctx, func(ctx context.Context) error {
		pipe := l.c.client.Pipeline()
		for _, k := range keys {
			vk, gk := l.Keys(k)
			pipe.Eval(ctx, invalidateScript, []string{vk, gk}, genTTL)
		}
		_, err := pipe.Exec(ctx)
		return err
	})
	if err != nil {
		l.m.errInvalidate.Inc()
		l.c.deferInvalidations(ctx, l.name, keys)
		return fmt.Errorf("cache %s: invalidate %d key(s): %w", l.name, len(keys), err)
	}
	return nil
}
