package training

import (
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// The decoded cursors of the two lists (page.Request.After): "<unix microseconds>_<id>" for
// an institution's list (newest posting first), "<YYYY-MM-DD>_<id>" for a worker's list
// (latest end date first).

func createdKey(t Training) string {
	return strconv.FormatInt(t.CreatedAt.UnixMicro(), 10) + "_" + t.ID
}

func endKey(t Training) string { return t.Record.EndDate.String() + "_" + t.ID }

// createdPosition decodes an institution list's cursor; nil for the first page.
func createdPosition(p page.Request) (*Position, error) {
	if p.After == "" {
		return nil, nil
	}
	at, id, ok := strings.Cut(p.After, "_")
	us, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || !validID(id) {
		return nil, badCursor()
	}
	return &Position{At: time.UnixMicro(us).UTC(), ID: id}, nil
}

// endPosition decodes a worker list's cursor; nil for the first page.
func endPosition(p page.Request) (*Position, error) {
	if p.After == "" {
		return nil, nil
	}
	day, id, ok := strings.Cut(p.After, "_")
	d, err := ParseDate(day)
	if !ok || err != nil || !validID(id) {
		return nil, badCursor()
	}
	return &Position{At: d.Time(), ID: id}, nil
}

// validID reports whether s has the form of a record id (a UUID); anything else names no
// record.
func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

func badCursor() error {
	return errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
		WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
}
