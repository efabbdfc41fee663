package audit

import (
	"time"

	"skillrecord/internal/errs"
)

// Calendar is the bureau's calendar: a date-only bound names a day in China time.
var Calendar = time.FixedZone("CST", 8*3600)

// Query is the raw filter of an audit search, as the caller typed it.
type Query struct {
	Actor    string // principal id, or "anonymous"
	Action   string
	WorkerID string
	From     string // RFC 3339 or YYYY-MM-DD, inclusive
	To       string // RFC 3339 or YYYY-MM-DD, inclusive (a date means the whole day)
}

// ParseFilter validates q: over-long ids are 422 invalid_filter, unreadable times 422
// invalid_date, and a from after the to 422 invalid_range, each naming its field.
func ParseFilter(q Query) (Filter, error) {
	f := Filter{ActorID: q.Actor, Action: q.Action, WorkerID: q.WorkerID}
	var fields []errs.FieldError
	for _, c := range []struct {
		field, value string
		max          int
	}{{"actor", q.Actor, MaxActorID}, {"action", q.Action, MaxAction}, {"worker_id", q.WorkerID, MaxWorkerID}} {
		if len(c.value) > c.max {
			fields = append(fields, errs.Field(c.field, "invalid_filter", "too long"))
		}
	}
	if len(fields) > 0 {
		return Filter{}, errs.Invalid("invalid_filter", "a filter value is too long").WithFields(fields...)
	}
	var ok bool
	if f.Since, ok = parseBound(q.From, false); !ok {
		fields = append(fields, errs.Field("from", "invalid_date", "use RFC 3339 or YYYY-MM-DD"))
	}
	if f.Until, ok = parseBound(q.To, true); !ok {
		fields = append(fields, errs.Field("to", "invalid_date", "use RFC 3339 or YYYY-MM-DD"))
	}
	if len(fields) > 0 {
		return Filter{}, errs.Invalid("invalid_date", "from and to take an RFC 3339 time or a YYYY-MM-DD date").WithFields(fields...)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return Filter{}, errs.Invalid("invalid_range", "from must not be after to").
			WithFields(errs.Field("from", "invalid_range", "must not be after to"))
	}
	return f, nil
}

// parseBound reads one bound; an empty one is the zero time. The end of a range becomes
// exclusive: the day after a date, the next microsecond (the stored precision) after a time.
func parseBound(raw string, end bool) (time.Time, bool) {
	if raw == "" {
		return time.Time{}, true
	}
	if d, err := time.ParseInLocation(time.DateOnly, raw, Calendar); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d.UTC(), true
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return time.Time{}, false
	}
	t = t.UTC().Truncate(time.Microsecond)
	if end {
		t = t.Add(time.Microsecond)
	}
	return t, true
}
