// Package clustertest holds the tests that need a MariaDB Galera cluster: migrators started
// together on different nodes, a node lost under writes, two instances of the service on two
// nodes posting the same batch, and reads through one instance of writes made through another.
// `make test-cluster` starts a private 3-node cluster (.ci/galera) and points
// SKILLRECORD_TEST_GALERA_DSNS at it; without it the tests are skipped. The package has no
// code of its own: it must not be imported.
package clustertest
