package training

import (
	"time"

	"skillrecord/internal/credit"
)

// Statuses of a stored training record.
const (
	StatusActive = "active" // counts in the record, the credits and the indicators
	StatusVoid   = "void"   // voided by its institution: kept, its credits reversed
)

// Codes of the use cases' own errors (beyond the field codes of Validate).
const (
	CodeDuplicateConflict = "duplicate_conflict" // Conflict: the external_id holds a different record
	CodeAlreadyVoid       = "already_void"       // Conflict: the record was voided before
	CodeNotFound          = "not_found"          // NotFound: no such record of this institution
	CodeInvalidStatus     = "invalid_status"     // Invalid: a list filter's status is unknown
)

// Training is a training record as stored: the validated Record, posted by an institution for
// a registered worker, with its storage identity, credits and status.
//
// The store keeps no SSN or name: a Training read back has Record.SSN and Record.Name empty and
// names its worker by WorkerID, which the real-name check resolved when the record was posted.
type Training struct {
	ID            string // opaque, non-sequential (UUID v7); used in URLs
	InstitutionID string // the posting institution; only it may read or void the record
	WorkerID      string // the registry's opaque worker id
	Record        Record
	Credits       credit.Tenths // what the record earned when it was posted
	Status        string        // StatusActive or StatusVoid
	VoidReason    string        // why it was voided; "" while active
	VoidedAt      time.Time     // when it was voided; zero while active
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Void reports whether the record has been voided.
func (t Training) Void() bool { return t.Status == StatusVoid }

// NetCredits is what the record counts for now: its credits while active, nothing once void
// (the void reversed them).
func (t Training) NetCredits() credit.Tenths {
	if t.Void() {
		return 0
	}
	return t.Credits
}

// Matches reports whether posting r for workerID again would change nothing: the same worker
// and the same content as t (Record.SameAs on every field but the SSN and the name, which the
// worker id stands for: both posts passed the real-name check against the same registry entry,
// so their names are the registered name in its normal form).
func (t Training) Matches(workerID string, r Record) bool {
	if t.WorkerID != workerID {
		return false
	}
	stored := t.Record
	stored.SSN, stored.Name = r.SSN, r.Name
	return stored.SameAs(r)
}

// Outcome says what a post did.
type Outcome string

// Outcomes of a post.
const (
	Created   Outcome = "created"   // a new record was stored and credited
	Unchanged Outcome = "unchanged" // an identical record with the same external_id existed
)

// Result is the outcome of one row of a batch.
type Result struct {
	Index  int     // the 0-based row of the batch
	ID     string  // the stored record's id
	Status Outcome // Created or Unchanged
}

// Filter narrows an institution's list of its records.
type Filter struct {
	Status     string // "" (all), StatusActive or StatusVoid
	ExternalID string // "" or one external_id
}

// Counts are a worker's totals of active (not voided) records.
type Counts struct {
	Trainings int // active records
	Passed    int // of those, with result passed
}

// Position is where a page of records ends: the sort key of the last record given (its
// CreatedAt in an institution's list, its end date in a worker's list) and its id. The next
// page starts after it.
type Position struct {
	At time.Time
	ID string
}
