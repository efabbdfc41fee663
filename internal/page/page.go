package page

import (
	"encoding/base64"
	"strconv"
	"strings"

	"skillrecord/internal/errs"
)

// Limits of a page.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Request is a validated page request: After is the decoded cursor (empty for the first page).
type Request struct {
	Limit int
	After string
}

// Parse validates the raw limit and cursor query values.
func Parse(rawLimit, rawCursor string) (Request, error) {
	r := Request{Limit: DefaultLimit}
	if rawLimit != "" {
		n, err := strconv.Atoi(rawLimit)
		if err != nil || n < 1 || n > MaxLimit {
			return r, errs.Invalid("invalid_limit", "limit must be a whole number from 1 to %d", MaxLimit).
				WithFields(errs.Field("limit", "invalid_limit", "1 to 100"))
		}
		r.Limit = n
	}
	if rawCursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(rawCursor)
		if err != nil || !strings.HasPrefix(string(b), "v1:") {
			return r, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
				WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
		}
		r.After = strings.TrimPrefix(string(b), "v1:")
	}
	return r, nil
}

// Cursor encodes the position after which the next page starts.
func Cursor(after string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + after))
}

// Result is one page of items.
type Result[T any] struct {
	Items      []T
	NextCursor string // empty on the last page
}

// Trim turns limit+1 fetched items into a page: if the extra item is there, there is a next
// page, which starts after the last kept item (key gives its position).
func Trim[T any](items []T, limit int, key func(T) string) Result[T] {
	if len(items) <= limit {
		return Result[T]{Items: items}
	}
	items = items[:limit]
	return Result[T]{Items: items, NextCursor: Cursor(key(items[len(items)-1]))}
}
