package class

import (
	"strconv"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// key is a list cursor's position: "<unix microseconds>_<id>".
func key(at time.Time, id string) string {
	return strconv.FormatInt(at.UnixMicro(), 10) + "_" + id
}

// position decodes a list cursor; nil for the first page.
func position(p page.Request) (*Position, error) {
	if p.After == "" {
		return nil, nil
	}
	at, id, ok := strings.Cut(p.After, "_")
	us, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || !validID(id) {
		return nil, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
			WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
	}
	return &Position{At: time.UnixMicro(us).UTC(), ID: id}, nil
}
