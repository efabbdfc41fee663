package class

import (
	"errors"
	"fmt"
	"time"

	"skillrecord/internal/civil"
)

// Clock is a time of day in the bureau's local time, in minutes after midnight (0–1439). Its
// written form is "HH:MM".
type Clock int

var errClock = errors.New("time must be written HH:MM, from 00:00 to 23:59")

// ParseClock parses exactly "HH:MM" (two ASCII digits each, 00–23 and 00–59).
func ParseClock(s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, errClock
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, errClock
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, errClock
	}
	return Clock(h*60 + m), nil
}

// String writes the clock as "HH:MM".
func (c Clock) String() string {
	return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60)
}

// Session is one meeting of a class on one date: at most one a date, so the date names it.
type Session struct {
	Date     civil.Date
	StartsAt Clock
	EndsAt   Clock // after StartsAt, on the same date
}

// Start is the instant the session starts, its date and time read in loc.
func (s Session) Start(loc *time.Location) time.Time { return at(s.Date, s.StartsAt, loc) }

// End is the instant the session ends, its date and time read in loc.
func (s Session) End(loc *time.Location) time.Time { return at(s.Date, s.EndsAt, loc) }

func at(d civil.Date, c Clock, loc *time.Location) time.Time {
	return time.Date(d.Y, d.M, d.D, int(c)/60, int(c)%60, 0, 0, loc)
}

// FirstStart is when the first session starts (the zero time for a filing without sessions).
func (f Filing) FirstStart(loc *time.Location) time.Time {
	if len(f.Sessions) == 0 {
		return time.Time{}
	}
	return f.Sessions[0].Start(loc)
}

// LastEnd is when the last session ends (the zero time for a filing without sessions).
func (f Filing) LastEnd(loc *time.Location) time.Time {
	if len(f.Sessions) == 0 {
		return time.Time{}
	}
	return f.Sessions[len(f.Sessions)-1].End(loc)
}

// Started reports whether the first session has begun at now (its start instant included).
func (f Filing) Started(now time.Time, loc *time.Location) bool {
	return len(f.Sessions) > 0 && !now.Before(f.FirstStart(loc))
}

// Ended reports whether the last session has ended at now (its end instant included).
func (f Filing) Ended(now time.Time, loc *time.Location) bool {
	return len(f.Sessions) > 0 && !now.Before(f.LastEnd(loc))
}

// SessionOn returns the session held on date d.
func (f Filing) SessionOn(d civil.Date) (Session, bool) {
	for _, s := range f.Sessions {
		if s.Date == d {
			return s, true
		}
	}
	return Session{}, false
}

// SessionsHeld counts the sessions that have begun at now.
func (f Filing) SessionsHeld(now time.Time, loc *time.Location) int {
	n := 0
	for _, s := range f.Sessions {
		if !now.Before(s.Start(loc)) {
			n++
		}
	}
	return n
}
