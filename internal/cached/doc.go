// Package cached holds cache decorators of domain store interfaces: each wraps the store that
// holds the truth (the database), reads through a cache.Loader, and invalidates beside the
// write that changes the value. Domain packages do not know they are cached.
package cached
