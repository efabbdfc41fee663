package dispute

import (
	"context"

	"skillrecord/internal/event"
)

// upheldData is the data of a dispute.upheld event: what was disputed, never the worker's or
// the bureau's free-text reasons.
type upheldData struct {
	Subject   string `json:"subject"`
	SubjectID string `json:"subject_id"`
}

// emitUpheld emits the dispute.upheld event of d, naming the worker by worker_ref and the
// institution whose record or claim it was by org_id, in the caller's transaction.
func emitUpheld(ctx context.Context, d Dispute) error {
	return event.Emit(ctx, event.Event{
		Kind: event.KindDisputeUpheld, At: d.ResolvedAt, WorkerRef: d.WorkerID, OrgID: d.InstitutionID,
		SubjectID: d.ID, Data: event.MarshalData(upheldData{Subject: d.Subject, SubjectID: d.SubjectID}),
	})
}
