package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/audit"
	"skillrecord/internal/testenv"
	"skillrecord/internal/training"
)

// BenchmarkBatchIngest1000Audited measures what the audit event costs a batch of 1,000
// records when it commits in the batch's transaction (one event row and one multi-row insert
// of its 1,000 workers): audited posts as an audited request does (a Collector with a
// prepared event in the context), plain as before, on the same database in the same run.
func BenchmarkBatchIngest1000Audited(b *testing.B) {
	db := testenv.MySQL(b)
	const n = 1000
	svc, people := batchService(b, db, n)
	for _, audited := range []bool{false, true} {
		name := map[bool]string{false: "plain", true: "audited"}[audited]
		b.Run(name, func(b *testing.B) {
			inst := uuid.NewString()
			i := 0
			for b.Loop() {
				ctx := context.Background()
				if audited {
					var col *audit.Collector
					ctx, col, _ = audit.NewContext(ctx, fmt.Sprintf("bench-%d", i))
					col.Prepare(func() (audit.Event, bool) {
						return audit.Event{At: time.Now(), ActorID: "bench", ActorRole: "training_institution",
							Action: "training.batch_post", Status: 200}, true
					})
				}
				inputs := batchInputs(people, fmt.Sprintf("%s%d", name, i))
				i++
				results, err := svc.PostBatch(ctx, inst, inputs)
				if err != nil || len(results) != n || results[n-1].Status != training.Created {
					b.Fatalf("batch: %d results, %v", len(results), err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
