package training

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/text"
)

// Validate checks every rule of docs/domain.md's training record and returns the canonical Record,
// or the zero Record and one FieldError per bad field (all of them, in field order; at most one
// per field). today is the posting time; its civil date in its own location is "today" for the
// date rules. Field names are the JSON names, codes are the Code constants (and identity's
// invalid_ssn, invalid_occupation_code); messages never contain the submitted value.
//
// Beyond the field formats: start_date ≤ end_date ≤ today, and the training cannot start
// before the worker's birth date encoded in the SSN (invalid_date_range);
// subsidy_amount_cents is refused unless subsidized is true (invalid_subsidy). Absent
// subsidized means false.
func (in Input) Validate(today time.Time) (Record, []errs.FieldError) {
	var c checker
	r := Record{
		ExternalID:     c.externalID(in.ExternalID),
		SSN:            c.ssn(in.SSN, today),
		Name:           c.text(FieldName, in.Name, maxName, true, CodeInvalidName),
		CourseName:     c.text(FieldCourseName, in.CourseName, maxCourseName, true, CodeInvalidCourseName),
		TrainingType:   c.enum(FieldTrainingType, in.TrainingType, IsType, CodeInvalidTrainingType),
		OccupationCode: c.occupationCode(in.OccupationCode),
		OccupationName: c.text(FieldOccupationName, in.OccupationName, maxOccupationName, false, CodeInvalidOccupationName),
		Level:          c.level(in.Level),
		Hours:          c.hours(in.Hours),
	}
	r.StartDate, r.EndDate = c.dates(in.StartDate, in.EndDate, DateOf(today), r.SSN.BirthDate())
	r.Result = c.enum(FieldResult, in.Result, func(s string) bool { return s == ResultPassed || s == ResultFailed }, CodeInvalidResult)
	r.Subsidized = in.Subsidized != nil && *in.Subsidized
	r.SubsidyAmountCents = c.subsidy(in.SubsidyAmountCents, r.Subsidized)
	r.TraineeGroups = c.groups(in.TraineeGroups)
	if len(c.errs) > 0 {
		return Record{}, c.errs
	}
	return r, nil
}

// checker collects the field errors of one record.
type checker struct{ errs []errs.FieldError }

func (c *checker) add(field, code, format string, args ...any) {
	c.errs = append(c.errs, errs.Field(field, code, fmt.Sprintf(format, args...)))
}

func (c *checker) externalID(raw string) string {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		c.add(FieldExternalID, CodeRequired, "external_id is required")
	case !validExternalID(s):
		c.add(FieldExternalID, CodeInvalidExternalID, "external_id must be 1 to %d characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'", maxExternalID)
	default:
		return s
	}
	return ""
}

func (c *checker) ssn(raw string, today time.Time) identity.SSN {
	if strings.TrimSpace(raw) == "" {
		c.add(FieldSSN, CodeRequired, "ssn is required")
		return ""
	}
	s, err := identity.ParseSSN(raw, today)
	if err != nil {
		c.add(FieldSSN, identity.CodeInvalidSSN, "ssn is not a valid social security number")
		return ""
	}
	return s
}

// text checks a free-text field: trimmed, 1–limit runes, no control characters.
func (c *checker) text(field, raw string, limit int, required bool, code string) string {
	s, ok := text.Clean(raw, limit)
	switch {
	case !ok:
		c.add(field, code, "%s must be 1 to %d characters without control characters", field, limit)
	case s == "" && required:
		c.add(field, CodeRequired, "%s is required", field)
	default:
		return s
	}
	return ""
}

// enum checks a required field that takes one of a fixed set of words.
func (c *checker) enum(field, raw string, valid func(string) bool, code string) string {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		c.add(field, CodeRequired, "%s is required", field)
	case !valid(s):
		c.add(field, code, "%s is not one of the allowed values", field)
	default:
		return s
	}
	return ""
}

func (c *checker) occupationCode(raw string) string {
	if strings.TrimSpace(raw) == "" {
		c.add(FieldOccupationCode, CodeRequired, "occupation_code is required")
		return ""
	}
	s, err := identity.ParseOccupationCode(raw)
	if err != nil {
		c.add(FieldOccupationCode, identity.CodeInvalidOccupationCode, "occupation_code must look like 6-18-01-01")
		return ""
	}
	return s
}

func (c *checker) level(p *int) *int {
	if p == nil {
		return nil
	}
	if *p < MinLevel || *p > MaxLevel {
		c.add(FieldLevel, CodeInvalidLevel, "level must be from %d to %d", MinLevel, MaxLevel)
		return nil
	}
	v := *p
	return &v
}

func (c *checker) hours(p *int) int {
	switch {
	case p == nil:
		c.add(FieldHours, CodeRequired, "hours is required")
	case *p < MinHours || *p > MaxHours:
		c.add(FieldHours, CodeInvalidHours, "hours must be from %d to %d", MinHours, MaxHours)
	default:
		return *p
	}
	return 0
}

// date parses one required date field; it reports and returns the zero Date when bad.
func (c *checker) date(field, raw string) Date {
	s := strings.TrimSpace(raw)
	if s == "" {
		c.add(field, CodeRequired, "%s is required", field)
		return Date{}
	}
	d, err := ParseDate(s)
	if err != nil {
		c.add(field, CodeInvalidDate, "%s must be a real date written YYYY-MM-DD", field)
	}
	return d
}

// dates checks start ≤ end ≤ today and start ≥ birth (when the SSN was valid).
func (c *checker) dates(rawStart, rawEnd string, today Date, birth time.Time) (Date, Date) {
	start, end := c.date(FieldStartDate, rawStart), c.date(FieldEndDate, rawEnd)
	if !start.IsZero() {
		switch {
		case start.After(today):
			c.add(FieldStartDate, CodeInvalidDateRange, "start_date must not be in the future")
		case !birth.IsZero() && start.Before(DateOf(birth)):
			c.add(FieldStartDate, CodeInvalidDateRange, "start_date must not be before the worker's birth date")
		}
	}
	if !end.IsZero() {
		switch {
		case end.After(today):
			c.add(FieldEndDate, CodeInvalidDateRange, "end_date must not be in the future")
		case !start.IsZero() && end.Before(start):
			c.add(FieldEndDate, CodeInvalidDateRange, "end_date must not be before start_date")
		}
	}
	return start, end
}

func (c *checker) subsidy(p *int64, subsidized bool) *int64 {
	switch {
	case p == nil:
		return nil
	case !subsidized:
		c.add(FieldSubsidyAmountCents, CodeInvalidSubsidy, "subsidy_amount_cents is allowed only when subsidized is true")
	case *p < 0 || *p > MaxSubsidyAmountCents:
		c.add(FieldSubsidyAmountCents, CodeInvalidSubsidy, "subsidy_amount_cents must be from 0 to %d", int64(MaxSubsidyAmountCents))
	default:
		v := *p
		return &v
	}
	return nil
}

// groups checks the trainee groups and returns them trimmed, in canonical order.
func (c *checker) groups(raw []string) []string {
	if len(raw) == 0 {
		return nil
	}
	out := make([]string, 0, len(raw))
	for i, g := range raw {
		g = strings.TrimSpace(g)
		switch {
		case !IsGroup(g):
			c.add(FieldTraineeGroups, CodeInvalidTraineeGroup, "trainee_groups item %d is not a known trainee group", i+1)
			return nil
		case slices.Contains(out, g):
			c.add(FieldTraineeGroups, CodeInvalidTraineeGroup, "trainee_groups item %d repeats an earlier item", i+1)
			return nil
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b string) int { return groupRank(a) - groupRank(b) })
	return out
}

// ParseVoidReason checks the reason given for voiding a record: trimmed, 1–500 characters,
// no control characters. It returns errs.Invalid with code required or invalid_reason, naming
// the field "reason".
func ParseVoidReason(raw string) (string, error) {
	s, ok := text.Clean(raw, maxReason)
	switch {
	case !ok:
		return "", errs.Invalid(CodeInvalidReason, "reason must be 1 to %d characters without control characters", maxReason).
			WithFields(errs.Field("reason", CodeInvalidReason, "must be 1 to 500 characters without control characters"))
	case s == "":
		return "", errs.Invalid(CodeRequired, "reason is required").
			WithFields(errs.Field("reason", CodeRequired, "reason is required"))
	}
	return s, nil
}
