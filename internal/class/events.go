package class

import (
	"context"
	"time"

	"skillrecord/internal/event"
)

// eventData is the data of a class.approved or class.completed event: what the bureau's other
// systems need to follow the class, without its roster's names (the roster's workers are
// named by their opaque ids only).
type eventData struct {
	CourseName     string   `json:"course_name"`
	TrainingType   string   `json:"training_type"`
	OccupationCode string   `json:"occupation_code"`
	SubsidyItem    string   `json:"subsidy_item"`
	StartDate      string   `json:"start_date"`
	EndDate        string   `json:"end_date"`
	Workers        []string `json:"worker_refs"`
}

// emitClass emits the event of kind about c (its approval or completion), in the caller's
// transaction: the institution's act on the class, with the roster's worker refs in its data.
func emitClass(ctx context.Context, kind string, c Class, at time.Time) error {
	return event.Emit(ctx, event.Event{
		Kind: kind, At: at, OrgID: c.InstitutionID, SubjectID: c.ID,
		Data: event.MarshalData(eventData{
			CourseName: c.CourseName, TrainingType: c.TrainingType, OccupationCode: c.OccupationCode,
			SubsidyItem: c.SubsidyItem, StartDate: c.StartDate.String(), EndDate: c.EndDate.String(),
			Workers: c.MemberIDs(),
		}),
	})
}
