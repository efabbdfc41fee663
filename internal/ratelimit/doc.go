// Package ratelimit counts failed attempts in Redis, per key, in a fixed window. It implements
// auth.Throttle. When Redis cannot be reached it fails open (nothing is throttled, the outage
// is logged and counted), because no request may fail because of Redis.
package ratelimit
