package civil

import (
	"bytes"
	"errors"
	"time"
)

// Date is a civil (calendar) date without a time of day or a time zone: the day a training
// started or ended, or the day a certificate was issued. It avoids the off-by-one-day errors of
// time.Time values taken in different locations. The zero value is "no date" (IsZero). Its JSON
// form is the string "YYYY-MM-DD"; the zero Date is written as null.
type Date struct {
	Y int        // year, 1–9999
	M time.Month // month, 1–12
	D int        // day of the month, 1–31
}

// errDate is the error of ParseDate and UnmarshalJSON. It never contains the input.
var errDate = errors.New("date must be a real calendar date written YYYY-MM-DD")

// ParseDate parses s, which must be exactly "YYYY-MM-DD" (ASCII digits, year 0001–9999) and
// name a real calendar date: 2026-02-29 and 2026-4-1 are refused. Surrounding spaces are not
// trimmed; callers that accept them trim first.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, errDate
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, errDate
	}
	return Date{Y: y, M: time.Month(m), D: d}, nil
}

// DateOf returns the civil date of t in t's own location: the "today" of a caller in China
// Standard Time is its date in CST, not in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Y: y, M: m, D: d}
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Compare returns -1 if d is before o, 0 if they are the same day and +1 if d is after o.
func (d Date) Compare(o Date) int {
	switch a, b := d.ordinal(), o.ordinal(); {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Time returns midnight UTC at the start of d, the form in which storage keeps a DATE.
func (d Date) Time() time.Time { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, time.UTC) }

// String returns d as "YYYY-MM-DD" (the zero Date gives "0000-00-00").
func (d Date) String() string {
	b := make([]byte, 0, 10)
	b = appendPadded(b, d.Y, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.M), 2)
	b = append(b, '-')
	return string(appendPadded(b, d.D, 2))
}

// MarshalJSON writes d as "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads a "YYYY-MM-DD" string as ParseDate does; null leaves d unchanged.
func (d *Date) UnmarshalJSON(data []byte) error {
	if bytes.Equal(data, []byte("null")) {
		return nil
	}
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return errDate
	}
	v, err := ParseDate(string(data[1 : len(data)-1]))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ordinal orders dates; it is not a day count.
func (d Date) ordinal() int { return d.Y*10000 + int(d.M)*100 + d.D }

// digits parses an all-ASCII-digit string.
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

// appendPadded appends n in decimal, left-padded with zeros to width digits.
func appendPadded(b []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for n > 0 || i == len(buf) {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	for len(buf)-i < width {
		i--
		buf[i] = '0'
	}
	return append(b, buf[i:]...)
}

// daysIn returns the number of days of month m in year y (proleptic Gregorian calendar).
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
