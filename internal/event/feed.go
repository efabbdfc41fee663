package event

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// FeedStore reads the outbox in its order.
type FeedStore interface {
	// After returns up to limit events after outbox position after (0 = from the start; see
	// Seq), in outbox order, only of the given kinds when kinds is not empty.
	After(ctx context.Context, after int64, kinds []string, limit int) ([]Event, error)
}

// Feed is the pull feed for systems without a broker: the outbox's events in outbox order, the
// order the relay publishes them in.
type Feed struct {
	Store FeedStore
}

// CodeInvalidKinds is the code of a kinds filter that names an unknown kind.
const CodeInvalidKinds = "invalid_kinds"

// ParseKinds reads a comma-separated kinds filter ("" = every kind), without repeats.
func ParseKinds(raw string) ([]string, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	var kinds []string
	for _, k := range strings.Split(raw, ",") {
		k = strings.TrimSpace(k)
		if !KnownKind(k) {
			return nil, errs.Invalid(CodeInvalidKinds, "kinds must be comma-separated event kinds").
				WithFields(errs.Field("kinds", CodeInvalidKinds, strings.Join(Kinds, ", ")))
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	return kinds, nil
}

// Page is one page of the feed. NextCursor is the position after the last event given, for
// the next request's after; it is empty only when the page is empty (a consumer that has
// caught up keeps its previous cursor and asks again later).
type Page struct {
	Items      []Event
	NextCursor string
}

// List returns the events after the cursor p.After (empty: from the start), of kinds (all when
// empty), at most p.Limit.
func (f *Feed) List(ctx context.Context, kinds []string, p page.Request) (Page, error) {
	var after int64
	if p.After != "" {
		n, ok := parseCursor(p.After)
		if !ok {
			return Page{}, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
				WithFields(errs.Field("after", "invalid_cursor", "use next_cursor from the previous page"))
		}
		after = n
	}
	items, err := f.Store.After(ctx, after, kinds, p.Limit)
	if err != nil {
		return Page{}, err
	}
	out := Page{Items: items}
	if len(items) > 0 {
		out.NextCursor = page.Cursor(formatCursor(items[len(items)-1].Seq))
	}
	return out, nil
}

// formatCursor is the inside of the cursor after the event at position seq: "row.index".
func formatCursor(seq int64) string {
	return strconv.FormatInt(RowOf(seq), 10) + "." + strconv.Itoa(IndexOf(seq))
}

// parseCursor reads the inside of a cursor: "row.index" (after that event), or "row" as the
// feed gave out when every outbox row held one event (after every event of that row, which
// names the same place).
func parseCursor(s string) (int64, bool) {
	if strings.Trim(s, "0123456789.") != "" {
		return 0, false // no sign, space or other character
	}
	rowPart, indexPart, bundled := strings.Cut(s, ".")
	row, err := strconv.ParseInt(rowPart, 10, 64)
	if err != nil || row < 0 || row > maxRow {
		return 0, false
	}
	if !bundled {
		return AfterRow(row), true
	}
	index, err := strconv.Atoi(indexPart)
	if err != nil || index < 0 || index >= MaxBundle {
		return 0, false
	}
	return Seq(row, index), true
}
