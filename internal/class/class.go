package class

import (
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/identity"
)

// Codes of the class use cases' errors, beyond the field codes of validation (validate.go).
const (
	CodeInvalidTransition = "invalid_transition" // Conflict: the state machine does not allow it
	CodeClassStarted      = "class_started"      // Conflict: the first session has begun
	CodeDuplicateConflict = "duplicate_conflict" // Conflict: the external_id holds a different class
	CodeNotFound          = "not_found"          // NotFound: no such class of this institution
	CodeInvalidStatus     = "invalid_status"     // Invalid: a list filter's status is unknown
)

// Flag kinds (监督标记) raised about a class. The attendance kinds are raised by check-ins.
const (
	FlagLateFiling     = "late_filing"     // filed after its first session began (补录)
	FlagOutsideSession = "outside_session" // a check-in outside a session's window
	FlagNotOnRoster    = "not_on_roster"   // a check-in by someone not on the roster
	FlagOverlap        = "overlap"         // a check-in while checked into an overlapping session elsewhere
	FlagCodeInvalid    = "code_invalid"    // a check-in with a stale, forged or another class's code
	FlagVoucherRefused = "voucher_refused" // a training voucher refused when scanned on the class
)

// flagKinds lists every flag kind in its canonical order.
var flagKinds = [...]string{FlagLateFiling, FlagOutsideSession, FlagNotOnRoster, FlagOverlap, FlagCodeInvalid, FlagVoucherRefused}

// FlagKinds returns every supervision flag kind (a fresh slice).
func FlagKinds() []string { return append([]string(nil), flagKinds[:]...) }

// IsFlagKind reports whether s is a supervision flag kind, spelled exactly.
func IsFlagKind(s string) bool {
	for _, k := range flagKinds {
		if k == s {
			return true
		}
	}
	return false
}

// Class is a filed class as stored, with its roster.
type Class struct {
	ID            string // opaque, non-sequential (UUID v7); used in URLs
	InstitutionID string // the filing institution; only it (and the bureau) may read it
	Filing               // what the institution filed, roster excepted
	Roster        []Member
	RosterSize    int // len(Roster) where the roster was read; the only roster data of a list
	Status        string
	LateFiling    bool   // filed after its first session began
	Digest        []byte // SHA-256 of the filing as first posted (the idempotency comparison)
	ReviewReason  string
	ReviewedAt    time.Time // zero until reviewed
	CancelReason  string
	CancelledAt   time.Time // zero unless cancelled
	CompletedAt   time.Time // zero until completed
	// CompletionDigest is the SHA-256 of the completion as posted (a retried completion with
	// the same body is answered unchanged); nil until completed.
	CompletionDigest []byte
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Filing is the validated content of a class filing, without its roster: the domain form of
// Input (canonical text, sessions in date order).
type Filing struct {
	ExternalID     string
	CourseName     string
	TrainingType   string
	OccupationCode string
	OccupationName string
	Level          *int
	SubsidyItem    string // the catalogue entry's key
	Hours          int
	StartDate      civil.Date
	EndDate        civil.Date
	Sessions       []Session
	Location       string
	Teacher        string
	Capacity       int
}

// Member is one worker on a class's roster. SSN and Name are filled only where a reader needs
// them for a masked answer; storage keeps the worker id alone.
type Member struct {
	WorkerID string
	SSN      identity.SSN
	Name     string
}

// Line is one roster line as an institution posted it, after format checks.
type Line struct {
	SSN  identity.SSN
	Name string
}

// Flag is a supervision flag (监督标记): a fact about a class that the bureau looks at.
type Flag struct {
	ID        string
	Kind      string // one of FlagKinds()
	ClassID   string
	WorkerID  string // "" when the flag is about the class as a whole
	WorkerSSN identity.SSN
	At        time.Time // when it happened
	Detail    string    // free text without personal data
	CreatedAt time.Time
}

// Filter narrows a list of classes.
type Filter struct {
	Status        string     // "" or one status
	InstitutionID string     // "" or one institution (the bureau's list)
	From, To      civil.Date // classes starting on or after From and on or before To (zero = open)
}

// FlagFilter narrows the bureau's list of supervision flags.
type FlagFilter struct {
	ClassID  string
	Kind     string
	From, To civil.Date // flags whose instant falls on these dates in the bureau's time zone
}

// Attendance is how many of a class's sessions one roster member attended.
type Attendance struct {
	WorkerID string
	Sessions int
}

// Position is where a page of classes ends: the last class's CreatedAt and ID.
type Position struct {
	At time.Time
	ID string
}

// MemberIDs returns the worker ids of the roster, in roster order.
func (c Class) MemberIDs() []string {
	ids := make([]string, len(c.Roster))
	for i, m := range c.Roster {
		ids[i] = m.WorkerID
	}
	return ids
}

// OnRoster reports whether the worker is on the class's roster.
func (c Class) OnRoster(workerID string) bool {
	for _, m := range c.Roster {
		if m.WorkerID == workerID {
			return true
		}
	}
	return false
}
