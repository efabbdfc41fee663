// Package strictjson holds the checks every JSON request body passes before it is decoded
// into a request type, wherever it is decoded (the HTTP binder, the training batch and the
// cardholder import readers): the body must be valid UTF-8 (encoding/json would silently turn
// bad bytes into U+FFFD), and every object key must name a field of the target type exactly
// (encoding/json matches keys case-insensitively, so "Hours" would fill hours).
//
// It knows encoding/json's field naming and the errs vocabulary; it must not know HTTP, gin or
// any domain type.
package strictjson
