package share

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
)

// Cursor is the list position of s: its creation time in Unix microseconds and its id,
// "MICROS|ID". Lists run by creation time descending, then id descending.
func Cursor(s Share) string {
	return strconv.FormatInt(s.CreatedAt.UnixMicro(), 10) + "|" + s.ID
}

// ParseCursor splits a position made by Cursor.
func ParseCursor(after string) (time.Time, string, error) {
	micros, id, ok := strings.Cut(after, "|")
	n, err := strconv.ParseInt(micros, 10, 64)
	if !ok || err != nil || n < 0 {
		return time.Time{}, "", errCursor
	}
	if _, err := uuid.Parse(id); err != nil {
		return time.Time{}, "", errCursor
	}
	return time.UnixMicro(n).UTC(), id, nil
}

var errCursor = errors.New("share: bad list cursor")

func errBadCursor() error {
	return errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
		WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
}
