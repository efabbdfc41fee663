// Package cache is skillrecord's Redis layer: it opens the Redis connection (or an
// in-process Redis-compatible server when none is configured) and offers a typed
// cache-aside Loader with request coalescing, a circuit breaker and protection against
// stale writes.
//
// # What Redis is for
//
// Redis holds derived data only; the database is the truth. Nothing in this package
// may make a request fail because Redis is slow or down: every Redis call has a short
// timeout (Config.OpTimeout) and goes through one circuit breaker per Cache. When a call
// fails, or while the circuit is open, Loader.Get simply calls the caller's load function
// and the request is answered from the database. Failures are counted in metrics and the
// breaker's state changes are logged once each (WARN when Redis is lost, INFO when it is
// back), never once per failed call.
//
// # Keys and values
//
// Every key this package builds starts with Config.KeyPrefix. A Loader named N keeps the
// value for key K at
//
//	prefix + "{N:K}"       the value (with the Loader's ttl)
//	prefix + "{N:K}:gen"   the generation counter of K
//
// The hash tag {N:K} puts both keys in the same Redis Cluster slot, so Get reads them
// with one MGET (one round trip) and the conditional write runs as one Lua script.
// Keys must never contain personal data (SSN, name, card number, phone): callers pass
// opaque identifiers. Values that carry personal data must be sealed: give the Loader a
// Sealer (WithSealer) and values are stored as Seal(encoded, aad = full Redis key).
//
// # Stale writes
//
// A load that began before an Invalidate must not put its result back afterwards.
// Invalidate increments the generation counter and deletes the value atomically; Get
// remembers the generation it saw next to the miss and stores the loaded value only if
// the generation is still the same. Every value is written with an expiry, so even a
// failed invalidation can leave a stale value alive for at most the Loader's ttl.
//
// # Use
//
//	c, err := cache.Open(ctx, cfg, logger, prometheus.DefaultRegisterer)
//	...
//	defer c.Close()
//	summaries := cache.NewLoader[Summary](c, "record", 5*time.Minute, cache.WithSealer(keyring))
//	s, err := summaries.Get(ctx, workerID, func(ctx context.Context) (Summary, error) {
//		return repo.Summary(ctx, workerID) // the database: the truth
//	})
//	...
//	// after the transaction that changed the record has committed:
//	if err := summaries.Invalidate(ctx, workerID); err != nil {
//		logger.Warn("cache invalidation failed", "err", err)
//	}
//
// # What this package must not know
//
// It must not import gin, gorm or any skillrecord domain package, and it holds no global
// state: clients, loggers and metrics are created by Open and injected by the caller.
package cache
