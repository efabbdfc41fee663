// Package apitest is the handler tests' client: it sends requests to an http.Handler (or a
// running server) and checks every response against api/openapi.yaml, so that a handler that
// drifts from the contract fails its tests. Only test files import it.
package apitest
