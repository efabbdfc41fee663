// Package api holds skillrecord's HTTP contract, api/openapi.yaml (OpenAPI 3.1), built into the
// binary and served at /api/v1/openapi.yaml.
package api
