package worker

import (
	"errors"
	"time"
)

// Date is a civil (calendar) date without a time of day or a zone, such as the day a card was
// issued. The zero value means "no date".
type Date struct {
	Y int        // year, 1–9999
	M time.Month // month, 1–12
	D int        // day of the month
}

// errDate is the error of ParseDate; it never contains the input.
var errDate = errors.New("date must be a real calendar date written YYYY-MM-DD")

// ParseDate parses s, which must be exactly "YYYY-MM-DD" (ASCII digits) naming a real calendar
// date: 2026-02-29 and 2026-4-1 are refused.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, errDate
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 ||
		d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return Date{}, errDate
	}
	return Date{Y: y, M: time.Month(m), D: d}, nil
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Y: y, M: m, D: d}
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.ordinal() > o.ordinal() }

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.ordinal() < o.ordinal() }

// Time returns midnight UTC at the start of d, the form in which storage keeps a DATE.
func (d Date) Time() time.Time { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC) }

// String returns d as "YYYY-MM-DD".
func (d Date) String() string {
	return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func (d Date) ordinal() int { return d.Y*10000 + int(d.M)*100 + d.D }

// digits parses a non-empty all-ASCII-digit string.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, s != ""
}
