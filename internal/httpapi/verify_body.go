package httpapi

import (
	"context"
	"net/http"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// A verification's body is parsed once, at authentication, so that the certificate number
// can join the token checks' cache read (one Redis round trip a cached verification); the
// handler then takes the parsed body, or the error that parsing it gave, from the context.
// Either answer is the one the handler would give parsing the body itself: the same strict
// rules (bindJSON) and, for a bad body, the same status and code, after the same middleware.

// parsedVerify is a verification body parsed at authentication, or why it could not be.
type parsedVerify struct {
	req verifyRequest
	err error
}

type parsedVerifyKey struct{}

// parseVerifyEarly parses r's verification body and returns ctx carrying the outcome for the
// handler (verifyRequestOf).
func parseVerifyEarly(ctx context.Context, r *http.Request) (context.Context, parsedVerify) {
	var p parsedVerify
	p.req, p.err = readVerifyRequest(r)
	return context.WithValue(ctx, parsedVerifyKey{}, &p), p
}

// verifyRequestOf returns the request's verification body: parsed at authentication when the
// route's prefetch did it, else parsed now.
func verifyRequestOf(c *gin.Context) (verifyRequest, error) {
	if p, ok := c.Request.Context().Value(parsedVerifyKey{}).(*parsedVerify); ok {
		return p.req, p.err
	}
	return readVerifyRequest(c.Request)
}

// readVerifyRequest reads and strictly parses a verification body, as bindJSON would.
func readVerifyRequest(r *http.Request) (verifyRequest, error) {
	body, err := readJSONBody(r)
	if err != nil {
		return verifyRequest{}, err
	}
	if req, ok := scanVerifyBody(body); ok {
		return req, nil
	}
	var req verifyRequest
	err = decodeJSON(body, &req) // anything unusual: the general decoder and its exact errors
	return req, err
}

// scanVerifyBody parses the common verification body, one JSON object whose keys are exactly
// "certificate_no" and "name", each at most once, with plain string values (no escapes, no
// control characters, valid UTF-8), in one pass without reflection. ok is false for anything
// else, which the general decoder then answers: it accepts every body scanVerifyBody accepts,
// with the same result.
func scanVerifyBody(b []byte) (req verifyRequest, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return verifyRequest{}, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return req, skipSpace(b, i+1) == len(b)
	}
	var seenNo, seenName bool
	for {
		key, next, ok := plainString(b, i)
		if !ok {
			return verifyRequest{}, false
		}
		i = skipSpace(b, next)
		if i >= len(b) || b[i] != ':' {
			return verifyRequest{}, false
		}
		val, next, ok := plainString(b, skipSpace(b, i+1))
		if !ok {
			return verifyRequest{}, false
		}
		switch {
		case key == "certificate_no" && !seenNo:
			req.CertificateNo, seenNo = val, true
		case key == "name" && !seenName:
			req.Name, seenName = val, true
		default:
			return verifyRequest{}, false
		}
		i = skipSpace(b, next)
		if i >= len(b) {
			return verifyRequest{}, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return req, skipSpace(b, i+1) == len(b)
		default:
			return verifyRequest{}, false
		}
	}
}

// plainString reads the JSON string at b[i:] when it needs no unescaping: it returns its text
// and the index after its closing quote.
func plainString(b []byte, i int) (s string, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			if !utf8.Valid(b[i+1 : j]) {
				return "", 0, false
			}
			return string(b[i+1 : j]), j + 1, true
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// skipSpace returns the index of the first byte at or after i that is not JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
