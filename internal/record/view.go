package record

import "time"

// zone is the bureau's calendar: a certificate expires at the end of its last day there.
var zone = time.FixedZone("CST", 8*3600)

// Today is the bureau's civil date at t, as YYYY-MM-DD.
func Today(t time.Time) string { return t.In(zone).Format(time.DateOnly) }

// View is a worker's record rendered as the worker's own answer: the body bytes ready to be
// written and their ETag. The body depends on the day only through certificate expiry, so a
// view holds from the day it was rendered (From) up to and including Until, the last day
// before one of its valid certificates expires ("" = no such day).
type View struct {
	Body  []byte
	ETag  string
	From  string
	Until string
}

// HoldsOn reports whether the view is still the right answer on day today (YYYY-MM-DD).
func (v View) HoldsOn(today string) bool {
	return today >= v.From && (v.Until == "" || today <= v.Until)
}

// Render turns a summary into the worker's own view as of today.
type Render func(s Summary, today string) (View, error)
