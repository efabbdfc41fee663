package training

import (
	"slices"

	"skillrecord/internal/identity"
)

// Record is a validated training record (培训记录) as an institution posted it: the domain
// form, with canonical values (trimmed text, upper-case SSN check character, trainee groups in
// canonical order). Obtain one from Input.Validate. It carries no storage identity, status or
// posting institution: those belong to the store.
type Record struct {
	ExternalID         string       // the institution's own id, unique per institution (idempotency key)
	SSN                identity.SSN // the worker
	Name               string       // the worker's name as the institution gave it (real-name check)
	CourseName         string
	TrainingType       string // one of Types()
	OccupationCode     string // 国家职业分类大典 code, d-dd-dd-dd
	OccupationName     string // optional; "" when not given
	Level              *int   // optional target level 1–5 (5 初级工 … 1 高级技师)
	Hours              int    // 1–2000
	StartDate          Date
	EndDate            Date   // StartDate ≤ EndDate ≤ the day of posting
	Result             string // ResultPassed or ResultFailed
	Subsidized         bool   // 补贴性培训
	SubsidyAmountCents *int64 // optional, only when Subsidized
	TraineeGroups      []string
	// ClassID is the class (package class) whose completion produced the record; "" for a
	// record posted directly. Only a class completion sets it (PostLinked).
	ClassID string
	// AttendanceRate is the trainee's share of the class's sessions attended (0–1, four
	// decimals); nil unless ClassID is set.
	AttendanceRate *float64
}

// Passed reports whether the trainee passed.
func (r Record) Passed() bool { return r.Result == ResultPassed }

// HasGroup reports whether the record carries trainee group g.
func (r Record) HasGroup(g string) bool { return slices.Contains(r.TraineeGroups, g) }

// SameAs reports whether r and o have the same content, the idempotency test of a re-posted
// record: true means "unchanged" (a no-op), false with the same ExternalID means a conflict.
// Both must come from Validate, which normalises them; optional values compare by presence and
// value, and trainee groups compare as sets (nil and empty are the same).
func (r Record) SameAs(o Record) bool {
	return r.ExternalID == o.ExternalID &&
		r.SSN == o.SSN &&
		r.Name == o.Name &&
		r.CourseName == o.CourseName &&
		r.TrainingType == o.TrainingType &&
		r.OccupationCode == o.OccupationCode &&
		r.OccupationName == o.OccupationName &&
		equalPtr(r.Level, o.Level) &&
		r.Hours == o.Hours &&
		r.StartDate == o.StartDate &&
		r.EndDate == o.EndDate &&
		r.Result == o.Result &&
		r.Subsidized == o.Subsidized &&
		equalPtr(r.SubsidyAmountCents, o.SubsidyAmountCents) &&
		sameGroups(r.TraineeGroups, o.TraineeGroups) &&
		r.ClassID == o.ClassID &&
		equalPtr(r.AttendanceRate, o.AttendanceRate)
}

func equalPtr[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// sameGroups compares two group lists as sets, whatever their order.
func sameGroups(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	if slices.Equal(a, b) {
		return true
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
