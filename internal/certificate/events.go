package certificate

import (
	"context"
	"time"

	"skillrecord/internal/event"
)

// eventData is the data of a certificate.issued or certificate.revoked event: what a verifier
// may see, without the holder's name (the event names the worker by worker_ref) and without a
// revocation's free-text reason.
type eventData struct {
	CertificateNo  string `json:"certificate_no"`
	Type           string `json:"type"`
	OccupationCode string `json:"occupation_code"`
	Level          *int   `json:"level,omitempty"`
	IssuedOn       Date   `json:"issued_on"`
	ValidUntil     *Date  `json:"valid_until,omitempty"`
}

// emitChange emits the event of rec's issue or revocation, in the caller's transaction.
func emitChange(ctx context.Context, kind string, rec Record, at time.Time) error {
	return event.Emit(ctx, event.Event{
		Kind: kind, At: at, WorkerRef: rec.WorkerID, OrgID: rec.IssuerOrgID, SubjectID: rec.No,
		Data: event.MarshalData(eventData{
			CertificateNo: rec.No, Type: rec.Type, OccupationCode: rec.OccupationCode, Level: rec.Level,
			IssuedOn: rec.IssuedOn, ValidUntil: rec.ValidUntil,
		}),
	})
}
