package claim

import "time"

// Objection statuses.
const (
	ObjectionOpen      = "open"
	ObjectionUpheld    = "upheld"
	ObjectionDismissed = "dismissed"
)

// Notice is the public notice (公示) of an approved claim: it runs from StartsAt to EndsAt,
// and anyone may object while it runs.
type Notice struct {
	ID        string
	ClaimID   string
	StartsAt  time.Time
	EndsAt    time.Time
	Withdrawn bool // an upheld objection sent its claim back to review
	CreatedAt time.Time
	// What the public sees, filled where a notice is read: the institution's name, the
	// class's course and dates, and the claim's lines (names masked by the converter).
	InstitutionName string
	CourseName      string
	Claim           *Claim
}

// Open reports whether objections are taken at now.
func (n Notice) Open(now time.Time) bool {
	return !n.Withdrawn && !now.Before(n.StartsAt) && now.Before(n.EndsAt)
}

// Objection is an objection raised against a notice.
type Objection struct {
	ID            string
	NoticeID      string
	ClaimID       string
	Text          string
	Contact       string // personal data: encrypted at rest, shown to the bureau only
	Status        string
	ResolveReason string
	ResolvedAt    time.Time
	CreatedAt     time.Time
}
