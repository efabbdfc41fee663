package worker

import (
	"time"

	"skillrecord/internal/civil"
)

// Date is the domain's calendar date (civil.Date), such as the day a card was issued; the zero
// value means "no date".
type Date = civil.Date

// ParseDate parses "YYYY-MM-DD" naming a real calendar date (see civil.ParseDate).
func ParseDate(s string) (Date, error) { return civil.ParseDate(s) }

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date { return civil.DateOf(t) }
