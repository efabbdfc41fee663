package claim

import (
	"context"

	"skillrecord/internal/event"
)

// disbursedData is the data of a subsidy.disbursed event: one paid line of a disbursement.
type disbursedData struct {
	ClaimID        string `json:"claim_id"`
	ClassID        string `json:"class_id"`
	DisbursementID string `json:"disbursement_id"`
	FundSource     string `json:"fund_source"`
	Payee          string `json:"payee"`
	Reference      string `json:"reference"`
	AmountCents    Cents  `json:"amount_cents"`
}

// emitDisbursed emits one subsidy.disbursed event per line that d pays, each naming the
// trainee by worker_ref and the institution by org_id, in the caller's transaction.
func emitDisbursed(ctx context.Context, c Claim, d Disbursement) error {
	worker := make(map[string]string, len(c.Lines))
	for _, l := range c.Lines {
		worker[l.ID] = l.WorkerID
	}
	events := make([]event.Event, 0, len(d.Lines))
	for _, l := range d.Lines {
		events = append(events, event.Event{
			Kind: event.KindSubsidyDisbursed, At: d.CreatedAt, WorkerRef: worker[l.LineID], OrgID: c.InstitutionID,
			SubjectID: l.LineID,
			Data: event.MarshalData(disbursedData{
				ClaimID: c.ID, ClassID: c.ClassID, DisbursementID: d.ID, FundSource: d.Source, Payee: d.Payee,
				Reference: d.Reference, AmountCents: l.AmountCents,
			}),
		})
	}
	return event.Emit(ctx, events...)
}
