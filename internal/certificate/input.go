package certificate

import (
	"fmt"
	"strings"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/text"
)

// Input is the JSON request shape of POST /certificates. Dates are strings and the level a
// pointer, so that Validate can tell a missing field from a bad one.
type Input struct {
	No             string `json:"certificate_no"`
	SSN            string `json:"ssn"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	OccupationCode string `json:"occupation_code"`
	OccupationName string `json:"occupation_name"`
	Level          *int   `json:"level,omitempty"`
	IssuedOn       string `json:"issued_on"`
	ValidUntil     string `json:"valid_until,omitempty"`
}

// Field-error and error codes of this package. The SSN and the occupation code use identity's
// codes (invalid_ssn, invalid_occupation_code).
const (
	CodeRequired                  = "required"
	CodeInvalidNo                 = "invalid_certificate_no"
	CodeInvalidName               = "invalid_name"
	CodeInvalidType               = "invalid_certificate_type"
	CodeInvalidOccupationName     = "invalid_occupation_name"
	CodeInvalidLevel              = "invalid_level"
	CodeInvalidDate               = "invalid_date"
	CodeInvalidDateRange          = "invalid_date_range"
	CodeInvalidReason             = "invalid_reason"
	CodeAlreadyRevoked            = "already_revoked"
	CodeCertificateTypeNotAllowed = "certificate_type_not_allowed"
)

// ParseNo returns the canonical form of a certificate number: trimmed, ASCII letters
// upper-cased, then 6–32 characters of A-Z, 0-9 and '-' with at least one letter or digit.
// Issue and verification both use it, so "zz-000123" finds "ZZ-000123". The error is
// errs.Invalid with code invalid_certificate_no and never contains the input.
func ParseNo(raw string) (string, error) {
	s := upperASCII(strings.TrimSpace(raw))
	if len(s) < minNo || len(s) > maxNo || strings.Trim(s, "-") == "" {
		return "", badNo()
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' {
			return "", badNo()
		}
	}
	return s, nil
}

func badNo() error {
	return errs.Invalid(CodeInvalidNo, "certificate_no must be %d to %d characters of A-Z, 0-9 and '-'", minNo, maxNo)
}

// Validate checks every rule of a certificate and returns it with Status valid (IssuerOrgID is
// left for the caller), or the zero Certificate and one FieldError per bad field, in field
// order. today's civil date in its own location is "today". The rules: certificate_no as
// ParseNo; a valid ssn; name 1–50 characters; type one of Types(); level 1–5, required for the
// types that count by level and optional otherwise; occupation_code valid and occupation_name
// 1–100 characters, both required; issued_on a real date, not after today and not before the
// holder's birth date; valid_until, if given, a real date after issued_on.
func (in Input) Validate(today time.Time) (Certificate, []errs.FieldError) {
	var c checker
	cert := Certificate{Status: StatusValid}
	cert.No = c.no(in.No)
	cert.SSN = c.ssn(in.SSN, today)
	cert.Name = c.text("name", in.Name, maxName, CodeInvalidName)
	cert.Type = c.certType(in.Type)
	cert.OccupationCode = c.occupationCode(in.OccupationCode)
	cert.OccupationName = c.text("occupation_name", in.OccupationName, maxOccupationName, CodeInvalidOccupationName)
	cert.Level = c.level(in.Level, cert.Type)
	cert.IssuedOn, cert.ValidUntil = c.dates(in.IssuedOn, in.ValidUntil, civil.DateOf(today), cert.SSN.BirthDate())
	if len(c.errs) > 0 {
		return Certificate{}, c.errs
	}
	return cert, nil
}

// checker collects the field errors of one certificate.
type checker struct{ errs []errs.FieldError }

func (c *checker) add(field, code, format string, args ...any) {
	c.errs = append(c.errs, errs.Field(field, code, fmt.Sprintf(format, args...)))
}

func (c *checker) no(raw string) string {
	if strings.TrimSpace(raw) == "" {
		c.add("certificate_no", CodeRequired, "certificate_no is required")
		return ""
	}
	s, err := ParseNo(raw)
	if err != nil {
		c.add("certificate_no", CodeInvalidNo, "certificate_no must be %d to %d characters of A-Z, 0-9 and '-'", minNo, maxNo)
	}
	return s
}

func (c *checker) ssn(raw string, today time.Time) identity.SSN {
	if strings.TrimSpace(raw) == "" {
		c.add("ssn", CodeRequired, "ssn is required")
		return ""
	}
	s, err := identity.ParseSSN(raw, today)
	if err != nil {
		c.add("ssn", identity.CodeInvalidSSN, "ssn is not a valid social security number")
	}
	return s
}

// text checks a required free-text field.
func (c *checker) text(field, raw string, limit int, code string) string {
	s, ok := text.Clean(raw, limit)
	switch {
	case !ok:
		c.add(field, code, "%s must be 1 to %d characters without control characters", field, limit)
	case s == "":
		c.add(field, CodeRequired, "%s is required", field)
	default:
		return s
	}
	return ""
}

func (c *checker) certType(raw string) string {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		c.add("type", CodeRequired, "type is required")
	case !IsType(s):
		c.add("type", CodeInvalidType, "type must be one of skill_level, vocational_qualification, special_ability and training")
	default:
		return s
	}
	return ""
}

func (c *checker) occupationCode(raw string) string {
	if strings.TrimSpace(raw) == "" {
		c.add("occupation_code", CodeRequired, "occupation_code is required")
		return ""
	}
	s, err := identity.ParseOccupationCode(raw)
	if err != nil {
		c.add("occupation_code", identity.CodeInvalidOccupationCode, "occupation_code must look like 6-18-01-01")
	}
	return s
}

// level checks the level; certType is "" when the type itself was bad, and then a missing
// level is not reported.
func (c *checker) level(p *int, certType string) *int {
	switch {
	case p == nil && CountsByLevel(certType):
		c.add("level", CodeRequired, "level is required for a %s certificate", certType)
	case p == nil:
	case *p < MinLevel || *p > MaxLevel:
		c.add("level", CodeInvalidLevel, "level must be from %d to %d", MinLevel, MaxLevel)
	default:
		v := *p
		return &v
	}
	return nil
}

func (c *checker) dates(rawIssued, rawUntil string, today Date, birth time.Time) (Date, *Date) {
	issued := c.date("issued_on", rawIssued, true)
	switch {
	case issued.IsZero():
	case issued.After(today):
		c.add("issued_on", CodeInvalidDateRange, "issued_on must not be in the future")
	case !birth.IsZero() && issued.Before(civil.DateOf(birth)):
		c.add("issued_on", CodeInvalidDateRange, "issued_on must not be before the holder's birth date")
	}
	until := c.date("valid_until", rawUntil, false)
	if until.IsZero() {
		return issued, nil
	}
	if !issued.IsZero() && !until.After(issued) {
		c.add("valid_until", CodeInvalidDateRange, "valid_until must be after issued_on")
	}
	return issued, &until
}

// date parses a date field; it reports and returns the zero Date when missing or bad.
func (c *checker) date(field, raw string, required bool) Date {
	s := strings.TrimSpace(raw)
	if s == "" {
		if required {
			c.add(field, CodeRequired, "%s is required", field)
		}
		return Date{}
	}
	d, err := civil.ParseDate(s)
	if err != nil {
		c.add(field, CodeInvalidDate, "%s must be a real date written YYYY-MM-DD", field)
	}
	return d
}

// Limits of the text fields, in runes.
const (
	minNo             = 6
	maxNo             = 32
	maxName           = 50
	maxOccupationName = 100
	maxReason         = 500
)

// upperASCII upper-cases ASCII letters only, so that no other character can turn into one.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
