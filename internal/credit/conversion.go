package credit

import (
	"fmt"
	"strings"

	"skillrecord/internal/errs"
	"skillrecord/internal/text"
)

// Codes of this package's errors.
const (
	CodeRequired               = "required"
	CodeInvalidCredits         = "invalid_credits"
	CodeInsufficientCredits    = "insufficient_credits"
	CodeInvalidExternalID      = "invalid_external_id"
	CodeInvalidProgram         = "invalid_program"
	CodeInvalidAcademicCredits = "invalid_academic_credits"
)

// Limits of a conversion.
const (
	maxExternalID      = 64
	maxProgram         = 200
	maxAcademicCredits = 1000
)

// Conversion is a college's conversion of a worker's skill credits into academic credits
// (学分转换): the part of POST /credit-conversions that is not the worker's identity (ssn and
// name, which the caller checks against the registry). It debits Credits from the worker's
// ledger, idempotently by the college's ExternalID. Credits is a Tenths, so a JSON amount
// finer than 0.1 is refused while decoding.
type Conversion struct {
	ExternalID      string  `json:"external_id"`
	Credits         Tenths  `json:"credits"`
	Program         string  `json:"program"`
	AcademicCredits float64 `json:"academic_credits"`
}

// Validate checks a conversion and returns it normalised (trimmed text), or the zero
// Conversion and one FieldError per bad field: external_id 1–64 of [A-Za-z0-9._:-]; credits
// above 0; program 1–200 characters without control characters; academic_credits above 0
// and at most 1000. Messages never contain the submitted value.
func (c Conversion) Validate() (Conversion, []errs.FieldError) {
	var bad []errs.FieldError
	add := func(field, code, format string, args ...any) {
		bad = append(bad, errs.Field(field, code, fmt.Sprintf(format, args...)))
	}
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	switch {
	case c.ExternalID == "":
		add("external_id", CodeRequired, "external_id is required")
	case !validExternalID(c.ExternalID):
		add("external_id", CodeInvalidExternalID, "external_id must be 1 to %d characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'", maxExternalID)
	}
	if c.Credits <= 0 {
		add("credits", CodeInvalidCredits, "credits must be greater than 0, with at most one decimal")
	}
	c.Program = strings.TrimSpace(c.Program)
	switch {
	case c.Program == "":
		add("program", CodeRequired, "program is required")
	case !validText(c.Program, maxProgram):
		add("program", CodeInvalidProgram, "program must be 1 to %d characters without control characters", maxProgram)
	}
	if !(c.AcademicCredits > 0 && c.AcademicCredits <= maxAcademicCredits) {
		add("academic_credits", CodeInvalidAcademicCredits, "academic_credits must be greater than 0 and at most %d", maxAcademicCredits)
	}
	if len(bad) > 0 {
		return Conversion{}, bad
	}
	return c, nil
}

// CanDebit reports whether amount may be debited from balance: nil when amount is positive and
// the balance covers it; errs.Invalid insufficient_credits when the balance is short (the
// message does not disclose the balance); errs.Invalid invalid_credits for an amount that is
// not positive.
func CanDebit(balance, amount Tenths) error {
	switch {
	case amount <= 0:
		return errs.Invalid(CodeInvalidCredits, "credits must be greater than 0")
	case balance < amount:
		return errs.Invalid(CodeInsufficientCredits, "the worker's skill-credit balance does not cover this conversion")
	}
	return nil
}

// validExternalID reports whether s is 1–64 characters of [A-Za-z0-9._:-].
func validExternalID(s string) bool {
	if s == "" || len(s) > maxExternalID {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") == ""
}

// validText reports whether s is text.Clean's kind of text of at most limit runes.
func validText(s string, limit int) bool {
	_, ok := text.Clean(s, limit)
	return ok
}
