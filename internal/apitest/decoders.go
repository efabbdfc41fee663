package apitest

import "github.com/getkin/kin-openapi/openapi3filter"

// The contract also describes the browsable API page (/docs) and its script; their bodies are
// checked as text like text/plain.
func init() {
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/javascript", openapi3filter.PlainBodyDecoder)
}
