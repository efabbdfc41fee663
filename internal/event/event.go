package event

import (
	"encoding/json"
	"time"
)

// Kinds of event. Each is published on the subject "skillrecord.<kind>".
const (
	KindTrainingPosted     = "training.posted"
	KindTrainingVoided     = "training.voided"
	KindCertificateIssued  = "certificate.issued"
	KindCertificateRevoked = "certificate.revoked"
	KindCreditsPosted      = "credits.posted"
	KindCreditsConverted   = "credits.converted"
	KindCardReplaced       = "card.replaced"
	KindClassApproved      = "class.approved"
	KindClassCompleted     = "class.completed"
	KindSubsidyDisbursed   = "subsidy.disbursed"
	KindDisputeUpheld      = "dispute.upheld"
	KindVoucherUsed        = "voucher.used"
)

// SubjectPrefix starts every event's NATS subject.
const SubjectPrefix = "skillrecord."

// Kinds lists every kind, for validation of a feed filter.
var Kinds = []string{
	KindTrainingPosted, KindTrainingVoided, KindCertificateIssued, KindCertificateRevoked,
	KindCreditsPosted, KindCreditsConverted, KindCardReplaced,
	KindClassApproved, KindClassCompleted, KindSubsidyDisbursed, KindDisputeUpheld, KindVoucherUsed,
}

// KnownKind reports whether k is one of Kinds.
func KnownKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Event is one change another system may care about. ID is a UUID, stable from the outbox to
// the broker (it is the message id that de-duplicates a re-send); Seq is its position in the
// outbox (commit order per worker; its row and its index in the row, see Seq), set when it is
// read back.
type Event struct {
	Seq       int64           `json:"-"`
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	At        time.Time       `json:"at"`
	WorkerRef string          `json:"worker_ref,omitempty"` // the worker's opaque id, never an SSN
	OrgID     string          `json:"org_id,omitempty"`     // the organisation that acted
	SubjectID string          `json:"subject_id"`           // the record, certificate, entry or card
	Data      json.RawMessage `json:"data"`                 // valid JSON (MarshalData): the outbox stores it as it is
}

// Subject is the NATS subject of e.
func (e Event) Subject() string { return SubjectPrefix + e.Kind }

// MarshalData returns v as an event's Data; it panics on a value that cannot be encoded,
// which is a programming error (Data holds plain structs of ids, codes, dates and numbers).
func MarshalData(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("event: data cannot be encoded: " + err.Error())
	}
	return b
}
