// Package identity validates, builds and masks the identifiers of the skillrecord domain:
// the worker's social security number (社会保障号码, GB 11643), the organisation's unified
// social credit code (统一社会信用代码, GB 32100-2015), the social security card number, the
// card-issuing area code and the occupation code of the national occupational classification
// (国家职业分类大典).
//
// Parsers return a canonical value (trimmed, upper-cased) or an *errs.Error of kind
// errs.KindInvalid with a stable code (invalid_ssn, invalid_credit_code, ...). Their messages
// name the field, never the value: identifiers are personal data under PIPL and must not leak
// into error text, logs or metrics labels.
//
// The Mask functions produce the display form used in responses for readers who may not see
// the full value. Masked values are for display only, never for storage or lookup.
//
// This package is pure computation over strings and dates. It must not know about HTTP, the
// database, the cache or encryption: it must not import gin, gorm, go-redis or any other
// technology package, nor any other domain package apart from skillrecord/internal/errs. It
// has no global state and reads no clock: callers pass "today" explicitly.
package identity
