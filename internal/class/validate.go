package class

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/text"
	"skillrecord/internal/training"
)

// Validate checks a filing against the rules and the catalogue and returns its domain form
// and its roster lines, or every bad field (roster lines by their 0-based index, fields ssn and
// name). today is the filing time (for the SSN's birth-date rule). The class must fit its
// catalogue item (catalogue_mismatch on each field that does not) and its capacity
// (over_capacity on roster).
func (in Input) Validate(cat *Catalogue, today time.Time) (Filing, []Line, []errs.FieldError) {
	var c checker
	f := Filing{
		ExternalID:     c.externalID(in.ExternalID),
		CourseName:     c.text(FieldCourseName, in.CourseName, maxCourse, true),
		TrainingType:   c.trainingType(in.TrainingType),
		OccupationCode: c.occupation(in.OccupationCode),
		OccupationName: c.text(FieldOccupationName, in.OccupationName, maxOccName, false),
		Level:          c.level(in.Level),
		SubsidyItem:    strings.TrimSpace(in.SubsidyItem),
		Hours:          c.bounded(FieldHours, in.Hours, 1, MaxHours, CodeInvalidHours),
		Location:       c.text(FieldLocation, in.Location, maxLocation, true),
		Teacher:        c.text(FieldTeacher, in.Teacher, maxTeacher, true),
		Capacity:       c.bounded(FieldCapacity, in.Capacity, 1, MaxCapacity, CodeInvalidCapacity),
	}
	f.StartDate, f.EndDate = c.dates(in.StartDate, in.EndDate)
	f.Sessions = c.sessions(in.Sessions, f.StartDate, f.EndDate)
	c.fit(cat, f)
	lines := c.lines(in.Roster, today, 0, true)
	if f.Capacity > 0 && len(in.Roster) > f.Capacity {
		c.add(FieldRoster, CodeOverCapacity, "the roster holds %d workers; the capacity is %d", len(in.Roster), f.Capacity)
	}
	if len(c.errs) > 0 {
		return Filing{}, nil, c.errs
	}
	return f, lines, nil
}

// ParseLines checks roster lines to add (fields ssn and name, by index) and returns them.
func ParseLines(raw []LineInput, today time.Time) ([]Line, []errs.FieldError) {
	var c checker
	lines := c.lines(raw, today, 0, false)
	return lines, c.errs
}

// ParseReason checks a reason: trimmed, 1–500 characters without control characters.
func ParseReason(raw string, required bool) (string, error) {
	s, ok := text.Clean(raw, maxReason)
	switch {
	case !ok:
		return "", errs.Invalid(CodeInvalidReason, "reason must be 1 to %d characters without control characters", maxReason).
			WithFields(errs.Field(FieldReason, CodeInvalidReason, "must be 1 to 500 characters without control characters"))
	case s == "" && required:
		return "", errs.Invalid(CodeRequired, "reason is required").
			WithFields(errs.Field(FieldReason, CodeRequired, "reason is required"))
	}
	return s, nil
}

// invalid is the 422 of a refused filing or roster change: the first field's code, every field.
func invalid(fields []errs.FieldError, what string) error {
	return errs.Invalid(fields[0].Code, "the %s is not valid", what).WithFields(fields...)
}

type checker struct{ errs []errs.FieldError }

func (c *checker) add(field, code, format string, args ...any) {
	c.errs = append(c.errs, errs.Field(field, code, fmt.Sprintf(format, args...)))
}

func (c *checker) externalID(raw string) string {
	s := strings.TrimSpace(raw)
	ok := s != "" && len(s) <= maxExternal
	for i := 0; ok && i < len(s); i++ {
		b := s[i]
		ok = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '_' || b == ':' || b == '-'
	}
	switch {
	case s == "":
		c.add(FieldExternalID, CodeRequired, "external_id is required")
	case !ok:
		c.add(FieldExternalID, CodeInvalidExternalID, "external_id must be 1 to %d characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'", maxExternal)
	default:
		return s
	}
	return ""
}

func (c *checker) text(field, raw string, limit int, required bool) string {
	s, ok := text.Clean(raw, limit)
	switch {
	case !ok:
		c.add(field, CodeInvalidText, "%s must be 1 to %d characters without control characters", field, limit)
	case s == "" && required:
		c.add(field, CodeRequired, "%s is required", field)
	default:
		return s
	}
	return ""
}

func (c *checker) trainingType(raw string) string {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		c.add(FieldTrainingType, CodeRequired, "training_type is required")
	case !training.IsType(s):
		c.add(FieldTrainingType, CodeInvalidTrainingType, "training_type is not a known training type")
	default:
		return s
	}
	return ""
}

func (c *checker) occupation(raw string) string {
	if strings.TrimSpace(raw) == "" {
		c.add(FieldOccupationCode, CodeRequired, "occupation_code is required")
		return ""
	}
	s, err := identity.ParseOccupationCode(raw)
	if err != nil {
		c.add(FieldOccupationCode, identity.CodeInvalidOccupationCode, "occupation_code must be written d-dd-dd-dd")
		return ""
	}
	return s
}

func (c *checker) level(p *int) *int {
	if p == nil {
		return nil
	}
	if *p < training.MinLevel || *p > training.MaxLevel {
		c.add(FieldLevel, CodeInvalidLevel, "level must be from 1 to 5")
		return nil
	}
	v := *p
	return &v
}

func (c *checker) bounded(field string, p *int, lo, hi int, code string) int {
	switch {
	case p == nil:
		c.add(field, CodeRequired, "%s is required", field)
	case *p < lo || *p > hi:
		c.add(field, code, "%s must be from %d to %d", field, lo, hi)
	default:
		return *p
	}
	return 0
}

func (c *checker) date(field, raw string) civil.Date {
	s := strings.TrimSpace(raw)
	if s == "" {
		c.add(field, CodeRequired, "%s is required", field)
		return civil.Date{}
	}
	d, err := civil.ParseDate(s)
	if err != nil {
		c.add(field, CodeInvalidDate, "%s must be a real date written YYYY-MM-DD", field)
	}
	return d
}

func (c *checker) dates(rawStart, rawEnd string) (civil.Date, civil.Date) {
	start, end := c.date(FieldStartDate, rawStart), c.date(FieldEndDate, rawEnd)
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		c.add(FieldEndDate, CodeInvalidDateRange, "end_date must not be before start_date")
	}
	return start, end
}

// sessions checks each session (a real date within the class's dates, HH:MM times, start
// before end, one session a date) and returns them in date order.
func (c *checker) sessions(raw []SessionInput, start, end civil.Date) []Session {
	switch {
	case len(raw) == 0:
		c.add(FieldSessions, CodeRequired, "at least one session is required")
		return nil
	case len(raw) > MaxSessions:
		c.add(FieldSessions, CodeInvalidSession, "at most %d sessions are allowed", MaxSessions)
		return nil
	}
	out := make([]Session, 0, len(raw))
	seen := map[civil.Date]bool{}
	for i, in := range raw {
		field := fmt.Sprintf("sessions[%d]", i)
		d, err := civil.ParseDate(strings.TrimSpace(in.Date))
		if err != nil {
			c.add(field+".date", CodeInvalidDate, "the date must be a real date written YYYY-MM-DD")
			continue
		}
		from, err1 := ParseClock(strings.TrimSpace(in.StartsAt))
		to, err2 := ParseClock(strings.TrimSpace(in.EndsAt))
		switch {
		case err1 != nil:
			c.add(field+".starts_at", CodeInvalidSession, "starts_at must be written HH:MM")
		case err2 != nil:
			c.add(field+".ends_at", CodeInvalidSession, "ends_at must be written HH:MM")
		case to <= from:
			c.add(field+".ends_at", CodeInvalidSession, "ends_at must be after starts_at")
		case !start.IsZero() && d.Before(start), !end.IsZero() && d.After(end):
			c.add(field+".date", CodeInvalidSession, "the session must fall between start_date and end_date")
		case seen[d]:
			c.add(field+".date", CodeDuplicateSession, "another session falls on the same date")
		default:
			seen[d] = true
			out = append(out, Session{Date: d, StartsAt: from, EndsAt: to})
		}
	}
	slices.SortFunc(out, func(a, b Session) int { return a.Date.Compare(b.Date) })
	return out
}

// fit checks the subsidy item: it must exist, and the class must fit it.
func (c *checker) fit(cat *Catalogue, f Filing) {
	if f.SubsidyItem == "" {
		c.add(FieldSubsidyItem, CodeRequired, "subsidy_item is required")
		return
	}
	it, ok := cat.Item(f.SubsidyItem)
	if !ok {
		c.add(FieldSubsidyItem, CodeUnknownSubsidyItem, "subsidy_item is not an item of the subsidy catalogue (version %s)", cat.Version)
		return
	}
	if f.TrainingType == "" || f.OccupationCode == "" {
		return // already reported
	}
	for _, field := range it.Mismatches(f) {
		c.add(field, CodeCatalogueMismatch, "%s does not fit the subsidy item %s", field, it.Key)
	}
}

// lines checks roster lines: a valid SSN, a name, no SSN twice. required says whether an
// empty list is an error (a filing needs a roster; a change may add nobody).
func (c *checker) lines(raw []LineInput, today time.Time, base int, required bool) []Line {
	if len(raw) == 0 {
		if required {
			c.add(FieldRoster, CodeRequired, "the roster must name at least one worker")
		}
		return nil
	}
	out := make([]Line, 0, len(raw))
	seen := map[identity.SSN]bool{}
	for i, in := range raw {
		idx := base + i
		var bad bool
		ssn, err := identity.ParseSSN(in.SSN, today)
		switch {
		case strings.TrimSpace(in.SSN) == "":
			c.errs, bad = append(c.errs, errs.RowField(idx, FieldSSN, CodeRequired, "ssn is required")), true
		case err != nil:
			c.errs, bad = append(c.errs, errs.RowField(idx, FieldSSN, identity.CodeInvalidSSN, "ssn is not a valid social security number")), true
		case seen[ssn]:
			c.errs, bad = append(c.errs, errs.RowField(idx, FieldSSN, CodeDuplicateInRoster, "the worker is on the roster already")), true
		}
		name, ok := text.Clean(in.Name, maxName)
		switch {
		case !ok:
			c.errs, bad = append(c.errs, errs.RowField(idx, FieldName, CodeInvalidText, "name must be 1 to 50 characters without control characters")), true
		case name == "":
			c.errs, bad = append(c.errs, errs.RowField(idx, FieldName, CodeRequired, "name is required")), true
		}
		if bad {
			out = append(out, Line{}) // keeps indexes aligned; never used
			continue
		}
		seen[ssn] = true
		out = append(out, Line{SSN: ssn, Name: name})
	}
	return out
}

// sortFields orders field errors: fields without an index first, then by index.
func sortFields(fields []errs.FieldError) {
	slices.SortStableFunc(fields, func(a, b errs.FieldError) int {
		ai, bi := -1, -1
		if a.Index != nil {
			ai = *a.Index
		}
		if b.Index != nil {
			bi = *b.Index
		}
		return cmp.Compare(ai, bi)
	})
}
