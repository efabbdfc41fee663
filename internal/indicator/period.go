package indicator

import (
	"strings"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
)

// Codes of a bad period.
const (
	CodeRequired      = "required"
	CodeInvalidDate   = "invalid_date"
	CodeInvalidPeriod = "invalid_period"
)

// bureauZone is the bureau's calendar: a day ends at midnight China Standard Time.
var bureauZone = time.FixedZone("CST", 8*60*60)

// Period is a closed range of days, From ≤ To.
type Period struct {
	From Date
	To   Date
}

// ParsePeriod validates the from and to query values: both required, YYYY-MM-DD, from ≤ to.
// The error is errs.Invalid listing every bad field (code of the first).
func ParsePeriod(from, to string) (Period, error) {
	var (
		p      Period
		fields []errs.FieldError
	)
	parse := func(name, raw string) Date {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			fields = append(fields, errs.Field(name, CodeRequired, name+" is required (YYYY-MM-DD)"))
			return Date{}
		}
		d, err := civil.ParseDate(raw)
		if err != nil {
			fields = append(fields, errs.Field(name, CodeInvalidDate, name+" must be a real date written YYYY-MM-DD"))
		}
		return d
	}
	p.From, p.To = parse("from", from), parse("to", to)
	if len(fields) == 0 && p.From.After(p.To) {
		fields = append(fields, errs.Field("to", CodeInvalidPeriod, "to must not be before from"))
	}
	if len(fields) > 0 {
		return Period{}, errs.Invalid(fields[0].Code, "the period is not valid").WithFields(fields...)
	}
	return p, nil
}

// EndsAt is the instant the period's last day ends in the bureau's calendar (midnight CST of
// the next day, in UTC): what happened at or after it, such as a revocation, happened after
// the period.
func (p Period) EndsAt() time.Time {
	return time.Date(p.To.Y, p.To.M, p.To.D+1, 0, 0, 0, 0, bureauZone).UTC()
}
