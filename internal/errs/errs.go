package errs

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies an error independently of transport.
type Kind int

// The kinds of error. The zero value is Internal so that an unclassified error is never
// reported as the caller's fault.
const (
	KindInternal        Kind = iota // a fault of ours: 500, the detail is hidden
	KindMalformed                   // the request cannot be read (bad JSON, unknown fields): 400
	KindInvalid                     // the request is well formed but breaks a rule: 422
	KindUnauthenticated             // no or bad credentials: 401
	KindForbidden                   // authenticated but not allowed: 403
	KindNotFound                    // no such object, or not the caller's: 404
	KindConflict                    // clashes with existing state: 409
	KindTooLarge                    // body over its limit: 413
	KindUnsupported                 // media type not accepted: 415
	KindRateLimited                 // too many attempts: 429
	KindUnavailable                 // a dependency the request needs is down: 503
)

var kindNames = [...]string{
	KindInternal:        "internal",
	KindMalformed:       "malformed",
	KindInvalid:         "invalid",
	KindUnauthenticated: "unauthenticated",
	KindForbidden:       "forbidden",
	KindNotFound:        "not_found",
	KindConflict:        "conflict",
	KindTooLarge:        "too_large",
	KindUnsupported:     "unsupported_media_type",
	KindRateLimited:     "rate_limited",
	KindUnavailable:     "unavailable",
}

// String returns the kind's name, which is also the default code of an error of that kind.
func (k Kind) String() string {
	if int(k) >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "internal"
}

// FieldError describes one bad field of a request. Index is the 0-based row of a batch, or nil
// for a single object. A batch sent as a spreadsheet also names the place as the clerk sees it:
// Row is the sheet's own 1-based row number (title and header rows counted) and Column the
// column's header as written in the file (empty when the field has no column).
type FieldError struct {
	Index   *int   `json:"index,omitempty"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Row     *int   `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
}

// Error is a classified error with a stable code.
type Error struct {
	Kind       Kind
	Code       string        // stable machine word, e.g. "invalid_ssn"
	Message    string        // safe for the caller; never personal data
	Fields     []FieldError  // per-field problems, if any
	RetryAfter time.Duration // for KindRateLimited
	Err        error         // the underlying cause; never shown to the caller
}

// Error implements error. It includes the cause for logs; the HTTP layer shows only Message.
func (e *Error) Error() string {
	msg := e.Code
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, errs.NotFound("", "")) style comparisons match on Kind and Code, and a
// bare &Error{Kind: k} match any error of kind k.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && (t.Code == "" || t.Code == e.Code)
}

func newErr(kind Kind, code, format string, args []any) *Error {
	if code == "" {
		code = kind.String()
	}
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Kind: kind, Code: code, Message: msg}
}

// Malformed reports a request that cannot be read (400).
func Malformed(code, format string, args ...any) *Error {
	return newErr(KindMalformed, code, format, args)
}

// Invalid reports a request that breaks a rule (422).
func Invalid(code, format string, args ...any) *Error {
	return newErr(KindInvalid, code, format, args)
}

// Unauthenticated reports missing or bad credentials (401).
func Unauthenticated(code, format string, args ...any) *Error {
	return newErr(KindUnauthenticated, code, format, args)
}

// Forbidden reports an authenticated caller who may not do this (403).
func Forbidden(code, format string, args ...any) *Error {
	return newErr(KindForbidden, code, format, args)
}

// NotFound reports a missing object, or one that belongs to someone else (404).
func NotFound(code, format string, args ...any) *Error {
	return newErr(KindNotFound, code, format, args)
}

// Conflict reports a clash with existing state (409).
func Conflict(code, format string, args ...any) *Error {
	return newErr(KindConflict, code, format, args)
}

// TooLarge reports a body over its limit (413).
func TooLarge(code, format string, args ...any) *Error {
	return newErr(KindTooLarge, code, format, args)
}

// Unsupported reports a media type that is not accepted (415).
func Unsupported(code, format string, args ...any) *Error {
	return newErr(KindUnsupported, code, format, args)
}

// RateLimited reports too many attempts; retry tells the caller when to try again (429).
func RateLimited(code string, retry time.Duration, format string, args ...any) *Error {
	e := newErr(KindRateLimited, code, format, args)
	e.RetryAfter = retry
	return e
}

// Unavailable reports that a dependency needed by the request is down (503).
func Unavailable(code, format string, args ...any) *Error {
	return newErr(KindUnavailable, code, format, args)
}

// Internal wraps an unexpected failure (500). The cause is kept for logs only.
func Internal(err error, format string, args ...any) *Error {
	e := newErr(KindInternal, "internal", format, args)
	e.Err = err
	return e
}

// WithFields returns e carrying the given field errors.
func (e *Error) WithFields(fields ...FieldError) *Error {
	e.Fields = append(e.Fields, fields...)
	return e
}

// WithCause returns e carrying err as its (hidden) cause.
func (e *Error) WithCause(err error) *Error {
	e.Err = err
	return e
}

// Field builds a FieldError for a single object.
func Field(field, code, message string) FieldError {
	return FieldError{Field: field, Code: code, Message: message}
}

// RowField builds a FieldError for row index of a batch.
func RowField(index int, field, code, message string) FieldError {
	return FieldError{Index: &index, Field: field, Code: code, Message: message}
}

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// KindOf returns the Kind of err; errors that are not *Error are KindInternal.
func KindOf(err error) Kind {
	if e := As(err); e != nil {
		return e.Kind
	}
	return KindInternal
}

// CodeOf returns the stable code of err; errors that are not *Error are "internal".
func CodeOf(err error) string {
	if e := As(err); e != nil {
		return e.Code
	}
	return "internal"
}

// Wrap annotates *errp with an operation name, keeping its Kind and Code. Use it deferred:
//
//	defer errs.Wrap(&err, "training.Post(%q)", externalID)
func Wrap(errp *error, format string, args ...any) {
	if *errp == nil {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}
