// Package ratelimit counts attempts per key in fixed windows: failed sign-ins and activations
// (Limiter, an auth.Throttle) and lookups that missed (Quota, an auth.Quota). The counters
// live in Redis so that every instance sees the same counts. Limits never fail open: while
// Redis cannot be reached (a failed call, or the cache's circuit breaker open) the counting
// goes on in process (Local, bounded in memory), per instance, from the last count Redis gave,
// and the outage is logged and counted in metrics. Keys never hold personal data: SSNs and
// account names arrive as blind indexes.
package ratelimit
