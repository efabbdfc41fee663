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
// the generation is still the same. Every value is written with an expiry.
//
// # Failed invalidations are replayed, never forgotten
//
// An Invalidate that cannot reach Redis (a stall, an open circuit) leaves the old value in
// Redis, and Redis will serve it again once it answers: a revoked certificate verified as
// valid, a suspended organisation let in, a logged-out token accepted. Three rules prevent it.
//
//  1. Trust. A Cache stops reading Redis (Get answers from load, as with an open circuit,
//     and stores nothing) from the first trouble it sees: its circuit opening, one of its
//     Invalidates failing, or its replay loop not reaching Redis. Trusted reports it; the
//     gauge skillrecord_cache_untrusted shows it. Only the replay loop gives trust back.
//  2. Journal. A failed Invalidate keeps its keys in memory at once and records them in the
//     Journal (UseJournal; a database table, package sqlstore) before it returns, so the
//     instance that failed and every other instance can find them. If the database cannot
//     take them either, the loop retries; the instance that failed replays them itself in
//     any case.
//  3. Replay. Every ReplayInterval each instance's loop applies the pending invalidations,
//     its own and the Journal's (the same atomic script as Invalidate, straight on the
//     client, not through the circuit), deletes the applied Journal rows, or PINGs Redis when
//     there is nothing to apply. Trust comes back after two consecutive healthy rounds with
//     no new trouble in between; the pause between them lets an instance whose
//     invalidation failed just before Redis came back finish recording it. UseJournal
//     replays once at start, so a Journal left by an instance that died is applied before
//     a new one serves.
//
// A read therefore still costs one round trip (the trust check is two atomic loads), and a
// write that invalidates successfully costs nothing more. For several instances: the one
// whose invalidation fails never reads Redis until the keys are applied; every instance
// whose requests or replay loop met the outage (any outage longer than ReplayInterval plus
// OpTimeout) waits for the replay too, so after a Redis stall no instance serves the old
// value. The remaining window is an instance that saw no trouble at all while another
// could not reach Redis (a partition of that other instance only, or a blip shorter than
// ReplayInterval): it reads Redis until the next replay round of any instance, that is for
// at most about ReplayInterval (500ms by default) after the failing instance recorded the
// keys. A process killed between a commit and its invalidation leaves the entry until its
// ttl, as before; so does a Redis restored from a persistence file taken before an
// invalidation (run the cache Redis without persistence).
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
//	c.UseJournal(ctx, db.CacheJournal()) // before serving
//	...
//	// after the transaction that changed the record has committed:
//	if err := summaries.Invalidate(ctx, workerID); err != nil {
//		logger.Warn("cache invalidation deferred; replayed before Redis is read again", "err", err)
//	}
//
// # What this package must not know
//
// It must not import gin, gorm or any skillrecord domain package, and it holds no global
// state: clients, loggers and metrics are created by Open and injected by the caller.
package cache
