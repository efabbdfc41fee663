package inspection

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
)

// Date is the domain's civil date.
type Date = civil.Date

// Limits of a draw.
const (
	MinInstitutions = 1
	MaxInstitutions = 100
	MinRecords      = 1
	MaxRecords      = 100
	MaxClasses      = 100 // classes per institution: 0 (none) to 100
	MaxSeedLen      = 64
)

// Codes of a bad request.
const (
	CodeRequired            = "required"
	CodeInvalidInstitutions = "invalid_institutions"
	CodeInvalidRecords      = "invalid_records_per_institution"
	CodeInvalidClasses      = "invalid_classes_per_institution"
	CodeInvalidSeed         = "invalid_seed"
)

// Seed is what a draw is reproduced from: 1–64 printable ASCII characters.
type Seed string

// ParseSeed validates a string seed: 1–64 characters from '!' to '~' (printable ASCII without
// the space).
func ParseSeed(s string) (Seed, error) {
	if len(s) < 1 || len(s) > MaxSeedLen {
		return "", badSeed()
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '!' || s[i] > '~' {
			return "", badSeed()
		}
	}
	return Seed(s), nil
}

// SeedOf is the seed of an integer: its decimal form.
func SeedOf(n int64) Seed { return Seed(strconv.FormatInt(n, 10)) }

// NewSeed generates a seed: a random integer from 0 to 2^53−1, so that clients that hold
// numbers as IEEE doubles can send it back as a number.
func NewSeed() Seed {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return SeedOf(int64(binary.BigEndian.Uint64(b[:]) >> 11))
}

func badSeed() error {
	return errs.Invalid(CodeInvalidSeed, "seed must be an integer or a string of 1 to %d printable ASCII characters", MaxSeedLen).
		WithFields(errs.Field("seed", CodeInvalidSeed, "an integer or 1 to 64 printable ASCII characters"))
}

// Params are what a draw asks for.
type Params struct {
	Institutions          int // 1–100
	RecordsPerInstitution int // 1–100
	ClassesPerInstitution int // 0–100: approved subsidised classes drawn per institution
}

// Validate checks both numbers are 1–100; the error lists every bad field.
func (p Params) Validate() error {
	var fields []errs.FieldError
	if p.Institutions < MinInstitutions || p.Institutions > MaxInstitutions {
		fields = append(fields, errs.Field("institutions", CodeInvalidInstitutions, "must be a whole number from 1 to 100"))
	}
	if p.RecordsPerInstitution < MinRecords || p.RecordsPerInstitution > MaxRecords {
		fields = append(fields, errs.Field("records_per_institution", CodeInvalidRecords, "must be a whole number from 1 to 100"))
	}
	if p.ClassesPerInstitution < 0 || p.ClassesPerInstitution > MaxClasses {
		fields = append(fields, errs.Field("classes_per_institution", CodeInvalidClasses, "must be a whole number from 0 to 100"))
	}
	if len(fields) > 0 {
		return errs.Invalid(fields[0].Code, "the inspection parameters are not valid").WithFields(fields...)
	}
	return nil
}

// Window is the range of end dates records are drawn from, both days included.
type Window struct {
	From Date
	To   Date
}

// WindowEnding is the twelve months that end on today: from the day after today's date one
// year ago, up to today.
func WindowEnding(today Date) Window {
	from := civil.DateOf(today.Time().AddDate(-1, 0, 1))
	return Window{From: from, To: today}
}

// Institution is a candidate institution.
type Institution struct {
	ID   string
	Name string
}

// Drawn is one drawn institution with its drawn records.
type Drawn struct {
	InstitutionID    string
	Name             string   // the institution's name when it was drawn
	RecordCandidates int      // how many records it had in the window
	RecordIDs        []string // the drawn records, ascending
	ClassCandidates  int      // how many approved classes it had
	ClassIDs         []string // the drawn classes, ascending
}

// Inspection is a stored sample.
type Inspection struct {
	ID                    string
	Seed                  Seed
	Params                Params
	Window                Window
	InstitutionCandidates int     // active training institutions when it was drawn
	Sample                []Drawn // the drawn institutions, ascending by id
	CreatedBy             string  // the admin who drew it
	CreatedAt             time.Time
}
