// Package loadtest holds the load run of the read hot paths (make load): it builds the real
// binary, starts it on a fresh MariaDB database and the machine's Redis, and drives it and the
// bare stack (barestack: gin answering one go-redis GET) with the same HTTP load client, one
// after the other in the same run, printing req/s, p99 and the ratio. It is a test that skips
// unless SKILLRECORD_LOAD=1, so that `make test` never depends on the machine's speed.
package loadtest
