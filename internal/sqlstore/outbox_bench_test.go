package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/event"
	"skillrecord/internal/testenv"
)

// BenchmarkOutboxAppend2000 commits the events of a batch of 1,000 records alone: 1,000
// training.posted and 1,000 credits.posted events with data like the real ones, in one
// transaction (the outbox's part of a batch, with its BEGIN and COMMIT).
func BenchmarkOutboxAppend2000(b *testing.B) {
	db := testenv.MySQL(b)
	ctx := context.Background()
	org := uuid.NewString()
	now := time.Now().UTC().Truncate(time.Microsecond)
	for i := 0; b.Loop(); i++ {
		events := make([]event.Event, 0, 2000)
		for j := range 1000 {
			events = append(events, event.Event{Kind: event.KindTrainingPosted, At: now, WorkerRef: uuid.NewString(), OrgID: org,
				SubjectID: uuid.NewString(), Data: event.MarshalData(map[string]any{
					"external_id": fmt.Sprintf("B%d-%d", i, j), "training_type": "employment_skills", "occupation_code": "6-18-02-04",
					"hours": 40, "start_date": "2026-10-01", "end_date": "2026-10-20", "result": "passed", "subsidized": true, "credits": 2.5})})
		}
		for j := range 1000 {
			events = append(events, event.Event{Kind: event.KindCreditsPosted, At: now, WorkerRef: events[j].WorkerRef,
				SubjectID: events[j].SubjectID, Data: event.MarshalData(map[string]any{
					"seq": i + 1, "entry_kind": "training", "amount": 2.5, "balance_after": 2.5 * float64(i+1), "rule_version": "2026.1",
					"source_type": "training", "source_id": events[j].SubjectID})})
		}
		if err := db.WithTx(ctx, func(ctx context.Context) error { return event.Emit(ctx, events...) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "events/s")
}
