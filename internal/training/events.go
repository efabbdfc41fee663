package training

import (
	"context"

	"skillrecord/internal/credit"
	"skillrecord/internal/event"
)

// postedData is the data of a training.posted event: the record without its SSN and name (the
// event names the worker by worker_ref) and without its course name (free text).
type postedData struct {
	ExternalID     string        `json:"external_id"`
	TrainingType   string        `json:"training_type"`
	OccupationCode string        `json:"occupation_code"`
	Level          *int          `json:"level,omitempty"`
	Hours          int           `json:"hours"`
	StartDate      Date          `json:"start_date"`
	EndDate        Date          `json:"end_date"`
	Result         string        `json:"result"`
	Subsidized     bool          `json:"subsidized"`
	Credits        credit.Tenths `json:"credits"`
}

// voidedData is the data of a training.voided event (the reason is free text and stays out).
type voidedData struct {
	ExternalID string `json:"external_id"`
}

// emitPosted emits training.posted for each new record, in the caller's transaction.
func emitPosted(ctx context.Context, ts []Training) error {
	events := make([]event.Event, len(ts))
	for i, t := range ts {
		r := t.Record
		events[i] = event.Event{
			Kind: event.KindTrainingPosted, At: t.CreatedAt, WorkerRef: t.WorkerID, OrgID: t.InstitutionID, SubjectID: t.ID,
			Data: event.MarshalData(postedData{
				ExternalID: r.ExternalID, TrainingType: r.TrainingType, OccupationCode: r.OccupationCode, Level: r.Level,
				Hours: r.Hours, StartDate: r.StartDate, EndDate: r.EndDate, Result: r.Result, Subsidized: r.Subsidized,
				Credits: t.Credits,
			}),
		}
	}
	return event.Emit(ctx, events...)
}

// emitVoided emits training.voided for t, in the caller's transaction.
func emitVoided(ctx context.Context, t Training) error {
	return event.Emit(ctx, event.Event{
		Kind: event.KindTrainingVoided, At: t.VoidedAt, WorkerRef: t.WorkerID, OrgID: t.InstitutionID, SubjectID: t.ID,
		Data: event.MarshalData(voidedData{ExternalID: t.Record.ExternalID}),
	})
}
