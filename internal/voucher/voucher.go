package voucher

import (
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
)

// Cents is an amount of money in fen (分), the catalogue's type.
type Cents = class.Cents

// Kinds of batch.
const (
	KindGeneral  = "general"  // 通用券: any eligible worker claims one and chooses a class
	KindDirected = "directed" // 定向券: issued to the roster of an approved class
)

// Statuses of a batch.
const (
	BatchOpen   = "open"
	BatchClosed = "closed"
)

// Codes of the voucher use cases' errors.
const (
	CodeNotFound          = "not_found"            // NotFound: no such batch or voucher of the caller
	CodeInvalidTransition = "invalid_transition"   // Conflict: the state machine does not allow it
	CodeInvalidBatch      = "invalid_batch"        // Invalid: a batch field is wrong (fields say which)
	CodeDuplicateConflict = "duplicate_conflict"   // Conflict: the key holds a different batch
	CodeVoucherLimit      = "voucher_limit"        // Conflict: the worker holds an unused voucher
	CodeBatchExhausted    = "batch_exhausted"      // Conflict: the batch's quantity is issued
	CodeNotEligible       = "not_eligible"         // Conflict: the worker is outside the batch's eligibility
	CodeBatchClosed       = "batch_closed"         // Conflict: the batch issues no more vouchers
	CodeCodeInvalid       = "code_invalid"         // Invalid: a stale or forged code
	CodeVoucherExpired    = "voucher_expired"      // Conflict: past its last valid day
	CodeVoucherUsed       = "voucher_used"         // Conflict: bound to another class, settled or cancelled
	CodeOutOfScope        = "voucher_out_of_scope" // Conflict: the voucher's scope does not fit the class
	CodeClassStarted      = "class_started"        // Conflict: the class's first session has begun
	CodeClassFull         = "class_full"           // Conflict: the roster is at capacity
	CodeNotGeneral        = "not_general"          // Conflict: a directed voucher has no code to show
)

// Eligible is who may claim a batch's vouchers (trainee groups, card areas) and where they may
// be used (occupations, institutions). An empty list does not restrict.
type Eligible struct {
	TraineeGroups   []string `json:"trainee_groups,omitempty"`
	OccupationCodes []string `json:"occupation_codes,omitempty"` // codes or prefixes ending in *
	InstitutionIDs  []string `json:"institution_ids,omitempty"`
	CardAreas       []string `json:"card_areas,omitempty"` // area codes (a prefix matches the areas under it)
}

// Batch is one issue of vouchers by the bureau.
type Batch struct {
	Key            string
	Name           string
	Kind           string
	SubsidyItem    string
	FaceValueCents Cents
	ValidDays      int
	Quantity       int
	Issued         int // vouchers ever created in the batch
	FundSource     string
	Eligible       Eligible
	Status         string
	ClosedAt       time.Time // zero while open
	CreatedAt      time.Time
}

// Voucher is one worker's voucher.
type Voucher struct {
	ID             string
	BatchKey       string
	Kind           string
	WorkerID       string
	State          string // as stored; see Effective
	FaceValueCents Cents
	ExpiresOn      civil.Date // the last valid day
	ClassID        string     // the class it is bound to; "" until used (a directed one: from issue)
	LineID         string     // the claim line that settled it
	Scope          Scope
	UsedAt         time.Time
	SettledAt      time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Scope is where a voucher may be used: its batch's subsidy item, occupations and institutions.
type Scope struct {
	SubsidyItem     string
	OccupationCodes []string
	InstitutionIDs  []string
}

// Profile is what a batch's eligibility is checked against: the worker's trainee groups (from
// their training records) and the areas of their active social security cards.
type Profile struct {
	Groups []string
	Areas  []string
}

// BatchInput is the JSON request of POST /admin/voucher-batches.
type BatchInput struct {
	Key            string   `json:"key"`
	Name           string   `json:"name"`
	Kind           string   `json:"kind"`
	SubsidyItem    string   `json:"subsidy_item"`
	FaceValueCents int64    `json:"face_value_cents"`
	ValidDays      int      `json:"valid_days"`
	Quantity       int      `json:"quantity"`
	FundSource     string   `json:"fund_source"`
	Eligible       Eligible `json:"eligible"`
}

// ClaimInput is the JSON request of POST /me/vouchers.
type ClaimInput struct {
	BatchKey string `json:"batch_key"`
}

// Stats are a batch's figures: Issued is every voucher ever created in it, the others the
// vouchers now in that state (expiry applied by date).
type Stats struct {
	Issued, Claimed, Used, Settled, Expired, Cancelled int
	SettledCents                                       Cents
}

// UseRate is (used + settled) / issued, 0 when none was issued.
func (s Stats) UseRate() float64 {
	if s.Issued == 0 {
		return 0
	}
	return float64(s.Used+s.Settled) / float64(s.Issued)
}
