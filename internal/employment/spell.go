package employment

import (
	"strings"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// Kinds of spell.
const (
	KindEmployed             = "employed"              // 就业登记
	KindUnemployedRegistered = "unemployed_registered" // 失业登记
	KindInsured              = "insured"               // 参保 (employee insurance through an employer)
)

// Field names of an import row, as the CSV header and the JSON objects spell them.
const (
	FieldSourceID     = "source_id"
	FieldSSN          = "ssn"
	FieldName         = "name"
	FieldKind         = "kind"
	FieldEmployerCode = "employer_credit_code"
	FieldStartDate    = "start_date"
	FieldEndDate      = "end_date"
)

// Codes of row errors besides those of package identity, worker.ParseName and the real-name
// check.
const (
	CodeRequired        = "required"
	CodeInvalidSourceID = "invalid_source_id"
	CodeInvalidKind     = "invalid_kind"
	CodeInvalidDate     = "invalid_date"
	CodeDuplicateInFile = "duplicate_in_import"
)

// Columns lists the fields of an import row in the order of the template's columns.
var Columns = []string{FieldSourceID, FieldSSN, FieldName, FieldKind, FieldEmployerCode, FieldStartDate, FieldEndDate}

// Date is a calendar date.
type Date = civil.Date

// Spell is one stored period of employment, registered unemployment or insurance.
type Spell struct {
	ID           string
	SourceID     string // the sending system's id: the idempotency key
	WorkerID     string // the registry's opaque worker id
	Kind         string
	EmployerCode string // the employer's unified social credit code; "" when none
	Start        Date
	End          *Date // nil while the spell runs
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Same reports whether o says the same as s (an unchanged re-import).
func (s Spell) Same(o Spell) bool {
	sameEnd := (s.End == nil) == (o.End == nil) && (s.End == nil || *s.End == *o.End)
	return s.WorkerID == o.WorkerID && s.Kind == o.Kind && s.EmployerCode == o.EmployerCode && s.Start == o.Start && sameEnd
}

// Covers reports whether the spell runs on day d.
func (s Spell) Covers(d Date) bool {
	return !s.Start.After(d) && (s.End == nil || !s.End.Before(d))
}

// Overlaps reports whether the spell runs on some day of [from, to].
func (s Spell) Overlaps(from, to Date) bool {
	return !s.Start.After(to) && (s.End == nil || !s.End.Before(from))
}

// Working reports whether the spell is work: employed or insured.
func (s Spell) Working() bool { return s.Kind == KindEmployed || s.Kind == KindInsured }

// ImportRow is one spell as it arrives, before validation.
type ImportRow struct {
	SourceID     string `json:"source_id"`
	SSN          string `json:"ssn"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	EmployerCode string `json:"employer_credit_code"`
	StartDate    string `json:"start_date"`
	EndDate      string `json:"end_date"`
}

// Table is the JSON import's layout for package worker's reader ({"spells": [...]}).
var Table = worker.Table[ImportRow]{Key: "spells", Noun: "spell"}

func (r *ImportRow) set(column, value string) bool {
	switch column {
	case FieldSourceID:
		r.SourceID = value
	case FieldSSN:
		r.SSN = value
	case FieldName:
		r.Name = value
	case FieldKind:
		r.Kind = value
	case FieldEmployerCode:
		r.EmployerCode = value
	case FieldStartDate:
		r.StartDate = value
	case FieldEndDate:
		r.EndDate = value
	default:
		return false
	}
	return true
}

// parsed is a valid row: the spell without its worker, and the SSN and name to check.
type parsed struct {
	spell Spell
	ssn   identity.SSN
	name  string
}

var china = time.FixedZone("CST", 8*60*60)

// parse validates the row: every bad field, in column order, without values in the errors.
// source_id (1–64 printable ASCII characters), ssn, name, kind and start_date are required;
// employer_credit_code, when given, is a GB 32100 code; dates are YYYY-MM-DD from 1900-01-01 to
// today, end_date (empty: still running) not before start_date.
func (r ImportRow) parse(now time.Time) (parsed, []errs.FieldError) {
	var (
		p     parsed
		bad   []errs.FieldError
		today = civil.DateOf(now.In(china))
	)
	fail := func(field string, err error) {
		e := errs.As(err)
		bad = append(bad, errs.Field(field, e.Code, e.Message))
	}
	missing := func(field, raw string) bool {
		if strings.TrimSpace(raw) != "" {
			return false
		}
		bad = append(bad, errs.Field(field, CodeRequired, field+" is required"))
		return true
	}
	date := func(field, raw string) (Date, bool) {
		d, err := civil.ParseDate(strings.TrimSpace(raw))
		if err != nil || d.Before(Date{Y: 1900, M: 1, D: 1}) || d.After(today) {
			bad = append(bad, errs.Field(field, CodeInvalidDate, field+" must be a real date written YYYY-MM-DD, not after today"))
			return Date{}, false
		}
		return d, true
	}
	if !missing(FieldSourceID, r.SourceID) {
		p.spell.SourceID = strings.TrimSpace(r.SourceID)
		if !validSourceID(p.spell.SourceID) {
			bad = append(bad, errs.Field(FieldSourceID, CodeInvalidSourceID, "source_id must be 1 to 64 printable ASCII characters"))
		}
	}
	var err error
	if !missing(FieldSSN, r.SSN) {
		if p.ssn, err = identity.ParseSSN(r.SSN, now.In(china)); err != nil {
			fail(FieldSSN, err)
		}
	}
	if !missing(FieldName, r.Name) {
		if p.name, err = worker.ParseName(r.Name); err != nil {
			fail(FieldName, err)
		}
	}
	if !missing(FieldKind, r.Kind) {
		p.spell.Kind = strings.ToLower(strings.TrimSpace(r.Kind))
		if p.spell.Kind != KindEmployed && p.spell.Kind != KindUnemployedRegistered && p.spell.Kind != KindInsured {
			bad = append(bad, errs.Field(FieldKind, CodeInvalidKind, "kind must be employed, unemployed_registered or insured"))
		}
	}
	if strings.TrimSpace(r.EmployerCode) != "" {
		code, err := identity.ParseCreditCode(r.EmployerCode)
		if err != nil {
			fail(FieldEmployerCode, err)
		}
		p.spell.EmployerCode = string(code)
	}
	startOK := false
	if !missing(FieldStartDate, r.StartDate) {
		p.spell.Start, startOK = date(FieldStartDate, r.StartDate)
	}
	if strings.TrimSpace(r.EndDate) != "" {
		if end, ok := date(FieldEndDate, r.EndDate); ok {
			if startOK && end.Before(p.spell.Start) {
				bad = append(bad, errs.Field(FieldEndDate, CodeInvalidDate, "end_date must not be before start_date"))
			}
			p.spell.End = &end
		}
	}
	if len(bad) > 0 {
		return parsed{}, bad
	}
	return p, nil
}

func validSourceID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
