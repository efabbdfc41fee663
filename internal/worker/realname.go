package worker

import (
	"bytes"
	"context"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// Identity is what a real-name check (实名制) needs of a registered worker.
type Identity struct {
	WorkerID  string
	NameIndex []byte // blind index of the registered name in ParseName's normal form
}

// Directory finds registered workers for real-name checks, many at a time.
type Directory interface {
	// Identify returns the registered workers among ssns (absent ones are left out), with a
	// handful of queries however many SSNs are asked for.
	Identify(ctx context.Context, ssns []identity.SSN) (map[identity.SSN]Identity, error)
	// NameIndex is the blind index of a name in ParseName's normal form; nil for a name that
	// ParseName refuses.
	NameIndex(name string) []byte
}

// Real-name check codes.
const (
	CodeUnknownCardholder = "unknown_cardholder"
	CodeNameMismatch      = "name_mismatch"
)

// CheckRealName compares a posted SSN and name with the registry: an SSN that is not
// registered is unknown_cardholder, a different name is name_mismatch. It returns the worker
// id, or the code of the failed check.
func CheckRealName(dir Directory, known map[identity.SSN]Identity, ssn identity.SSN, name string) (string, string) {
	id, ok := known[ssn]
	if !ok {
		return "", CodeUnknownCardholder
	}
	idx := dir.NameIndex(name)
	if idx == nil || !bytes.Equal(idx, id.NameIndex) {
		return "", CodeNameMismatch
	}
	return id.WorkerID, ""
}

// RealNameError is the 422 answer for one failed real-name check of a single record.
func RealNameError(code string) error {
	switch code {
	case CodeUnknownCardholder:
		return errs.Invalid(code, "the SSN is not in the cardholder registry").
			WithFields(errs.Field("ssn", code, "not in the cardholder registry"))
	default:
		return errs.Invalid(CodeNameMismatch, "the name does not match the registry for this SSN").
			WithFields(errs.Field("name", CodeNameMismatch, "does not match the registered name"))
	}
}
