package api

import _ "embed"

// OpenAPI is the contract document.
//
//go:embed openapi.yaml
var OpenAPI []byte
