// Package testenv gives tests the machine's real MariaDB and Redis: a fresh database per call,
// created from the migrations and dropped when the test ends, and a Redis address with a key
// prefix of its own. A missing MariaDB or Redis fails the test with a clear message; it is never
// skipped. The cluster tests get a private Galera cluster's nodes (GaleraDSNs) from
// `make test-cluster` and are skipped without one. Only test files import this package.
package testenv
