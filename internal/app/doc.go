// Package app wires the domain services, stores, caches and keys into the HTTP dependencies.
// It is the one place that knows every concrete type; the command and the end-to-end test
// fixture both build the service through it.
package app
