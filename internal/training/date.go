package training

import (
	"time"

	"skillrecord/internal/civil"
)

// Date is the domain's calendar date (civil.Date): "YYYY-MM-DD" in JSON.
type Date = civil.Date

// ParseDate parses "YYYY-MM-DD" (see civil.ParseDate).
func ParseDate(s string) (Date, error) { return civil.ParseDate(s) }

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date { return civil.DateOf(t) }
