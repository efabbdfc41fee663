package claim

import (
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
	"skillrecord/internal/identity"
)

// Cents is an amount of money in fen (分): the catalogue's type, so that an amount read from
// the catalogue is never converted.
type Cents = class.Cents

// Reason codes of a line that is not eligible, in the order a line lists them.
const (
	ReasonNotPassed              = "not_passed"                          // the trainee failed, or has no record of the class
	ReasonAttendanceBelowMinimum = "attendance_below_minimum"            // attended less than the item's minimum share
	ReasonCertificateMissing     = "certificate_missing"                 // the item requires a valid certificate of the occupation
	ReasonAnnualLimitReached     = "annual_limit_reached"                // 3 subsidised trainings in the calendar year already
	ReasonOccupationLevel        = "occupation_level_already_subsidised" // the same occupation and level was subsidised before
	ReasonCardInactive           = "card_inactive"                       // the worker holds no active social security card
	ReasonEmploymentStatus       = "employment_status_required"          // no spell of the item's required status on the class's start date
	ReasonVoucherMissing         = "voucher_missing"                     // the item requires a used training voucher bound to the class
)

// MaxPerYear is how many subsidised trainings a worker may have in one calendar year.
const MaxPerYear = 3

// Codes of the claim use cases' errors.
const (
	CodeNotFound          = "not_found"           // NotFound: no such claim (or class) of the caller
	CodeInvalidTransition = "invalid_transition"  // Conflict: the state machine does not allow it
	CodeClassNotCompleted = "class_not_completed" // Conflict: only a completed class can be claimed
	CodeInvalidStatus     = "invalid_status"      // Invalid: a list filter's status is unknown
	CodeInvalidDecision   = "invalid_decision"    // Invalid: decision is not approve or reject
	CodeInvalidAdjustment = "invalid_adjustment"  // Invalid: an adjustment names no line or raises it
	CodeRequired          = "required"            // Invalid: a required field is missing
	CodeNoticeClosed      = "notice_closed"       // Conflict: the notice's period is over
	CodeClaimHeld         = "claim_held"          // Conflict: an open or upheld objection holds the claim
	CodeNoticeRunning     = "notice_running"      // Conflict: the notice period has not ended
	CodeNothingPayable    = "nothing_payable"     // Conflict: no line of the claim has anything to pay
)

// Claim is a subsidy claim for one completed class, with its lines.
type Claim struct {
	ID            string
	ClassID       string
	InstitutionID string
	Status        string
	TotalCents    Cents // the sum of the lines' amounts
	ReviewReason  string
	ReviewedAt    time.Time // zero until reviewed
	Lines         []Line
	Notice        *Notice // the current notice of an approved claim; nil otherwise
	// CourseName is the class's course, filled where an answer shows it.
	CourseName string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Line is one trainee's line of a claim.
type Line struct {
	ID             string
	ClaimID        string
	Seq            int
	WorkerID       string
	SSN            identity.SSN // filled where a reader needs it for a masked answer
	Name           string
	TrainingID     string // the trainee's record of the class; "" when there is none
	Eligible       bool
	AmountCents    Cents // what the line is worth now (0 when not eligible; lowered by a review)
	ClaimedCents   Cents // what the line was drafted at
	Reasons        []string
	AdjustReason   string
	OccupationCode string
	Level          *int
	EndDate        civil.Date
	Held           bool // a dispute holds it
	CreatedAt      time.Time
}

// Facts are what the store knows about one trainee when a claim is drafted: the inputs of
// the eligibility rules.
type Facts struct {
	Member         class.Member
	TrainingID     string // "" when the trainee has no (non-void) record of the class
	Result         string
	AttendanceRate float64
	HasCertificate bool // a valid certificate of the class's occupation
	CardActive     bool
	YearCount      int  // eligible lines in other claims not rejected, in the class's end year
	SameSubsidised bool // an eligible line of the same occupation and level within the window
	// Statuses are the kinds of employment spell (unemployed_registered, insured, employed)
	// covering the class's start date.
	Statuses []string
	// HasVoucher says the trainee has a used (or settled) training voucher bound to the
	// class, worth VoucherCents.
	HasVoucher   bool
	VoucherCents Cents
}

// Filter narrows a list of claims.
type Filter struct {
	Status        string
	InstitutionID string
	ClassID       string
}

// Position is where a page ends: the last item's CreatedAt and ID.
type Position struct {
	At time.Time
	ID string
}
