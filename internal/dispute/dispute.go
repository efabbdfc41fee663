package dispute

import "time"

// Subjects a dispute can be about.
const (
	SubjectTraining    = "training"     // a training record in the worker's name
	SubjectSubsidyLine = "subsidy_line" // a subsidy claim line in the worker's name
)

// Statuses of a dispute.
const (
	StatusOpen      = "open"
	StatusUpheld    = "upheld"
	StatusDismissed = "dismissed"
)

// Codes of the dispute use cases' errors.
const (
	CodeNotFound          = "not_found"
	CodeInvalidSubject    = "invalid_subject"
	CodeInvalidStatus     = "invalid_status"
	CodeInvalidTransition = "invalid_transition"
	CodeRequired          = "required"
	CodeDisputeOpen       = "dispute_open" // Conflict: the worker has an open dispute of it already
)

// Dispute is a worker's dispute of a record or a line.
type Dispute struct {
	ID            string
	WorkerID      string
	Subject       string
	SubjectID     string
	InstitutionID string // the institution whose record or claim it is
	Reason        string
	Status        string
	ResolveReason string
	ResolvedAt    time.Time
	CreatedAt     time.Time
}

// Owner is whose a disputed subject is: the worker it names, the institution that posted it,
// and the training record behind it (a line's record, if any).
type Owner struct {
	WorkerID      string
	InstitutionID string
	TrainingID    string
}

// Filter narrows a list of disputes.
type Filter struct {
	WorkerID      string
	InstitutionID string
	Status        string
}

// Position is where a page ends.
type Position struct {
	At time.Time
	ID string
}

// Input is the JSON request of POST /me/disputes.
type Input struct {
	Subject string `json:"subject"`
	ID      string `json:"id"`
	Reason  string `json:"reason"`
}

// ResolveInput is the JSON request of POST /admin/disputes/{id}/resolve.
type ResolveInput struct {
	Upheld *bool  `json:"upheld"`
	Reason string `json:"reason"`
}
