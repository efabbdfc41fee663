// Package errs is skillrecord's one error vocabulary.
//
// Domain code returns *Error values built by this package's constructors: a Kind that says what
// went wrong in HTTP-neutral terms, a stable machine Code (the `code` word of the API
// contract), a message that is safe to show to the caller, and optionally the field errors of
// a request. The HTTP layer maps Kind to a status in exactly one place. Messages must never
// contain personal data (SSN, name, card number, phone): callers name the field, not the value.
//
// This package must not import gin, gorm, go-redis or any other technology package.
package errs
