package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/audit"
	"skillrecord/internal/sqlstore"
)

var auditNow = time.Date(2026, 11, 27, 8, 30, 0, 123456789, time.UTC)

// eachAuditStore runs test against the audit trail on MariaDB and on SQLite: one contract,
// two implementations.
func eachAuditStore(t *testing.T, test func(t *testing.T, s *sqlstore.AuditStore, db *sqlstore.DB)) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			test(t, db.Audit(), db)
		})
	}
}

func auditEvent(actor, action string, at time.Time, workers ...string) audit.Event {
	return audit.Event{
		At: at, ActorID: actor, ActorRole: "admin", Action: action, Target: "id=x", WorkerIDs: workers,
		RequestID: "req-" + uuid.NewString()[:8], ClientIP: "192.0.2.7", Status: 201,
	}
}

func appendEvent(t *testing.T, s *sqlstore.AuditStore, e audit.Event) int64 {
	t.Helper()
	id, err := s.Append(context.Background(), e)
	require.NoError(t, err)
	require.Positive(t, id)
	return id
}

func ids(es []audit.Event) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestAuditStore_AppendsAndListsNewestFirstWithWorkers(t *testing.T) {
	eachAuditStore(t, func(t *testing.T, s *sqlstore.AuditStore, db *sqlstore.DB) {
		ctx := context.Background()
		w1, w2 := uuid.NewString(), uuid.NewString()
		e := auditEvent("adm-1", "worker.record_read", auditNow, w2, w1, w2)
		e.OrgID, e.Code, e.Status = "", "reason_required", 422
		first := appendEvent(t, s, e)
		second := appendEvent(t, s, auditEvent("adm-1", "organization.create", auditNow.Add(time.Second)))
		require.Greater(t, second, first)

		got, err := s.Events(ctx, audit.Filter{}, 0, 10)
		require.NoError(t, err)
		require.Equal(t, []int64{second, first}, ids(got))
		old := got[1]
		assert.Equal(t, auditNow.Truncate(time.Microsecond), old.At, "stored to the microsecond, in UTC")
		assert.Equal(t, "adm-1", old.ActorID)
		assert.Equal(t, "admin", old.ActorRole)
		assert.Equal(t, "worker.record_read", old.Action)
		assert.Equal(t, "id=x", old.Target)
		assert.Equal(t, e.RequestID, old.RequestID)
		assert.Equal(t, "192.0.2.7", old.ClientIP)
		assert.Equal(t, 422, old.Status)
		assert.Equal(t, "reason_required", old.Code)
		assert.ElementsMatch(t, []string{w1, w2}, old.WorkerIDs, "each worker once")
		assert.Empty(t, got[0].WorkerIDs)
		assert.Equal(t, 2, count(t, db, "SELECT COUNT(*) FROM audit_event_workers"))
	})
}

func TestAuditStore_FiltersAndPages(t *testing.T) {
	eachAuditStore(t, func(t *testing.T, s *sqlstore.AuditStore, db *sqlstore.DB) {
		ctx := context.Background()
		w := uuid.NewString()
		day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		a1 := appendEvent(t, s, auditEvent("alice", "training.post", day, w))
		a2 := appendEvent(t, s, auditEvent("alice", "training.void", day.Add(time.Hour)))
		b1 := appendEvent(t, s, auditEvent("bob", "training.post", day.Add(2*time.Hour), w, uuid.NewString()))
		b2 := appendEvent(t, s, auditEvent("bob", "certificate.issue", day.Add(48*time.Hour)))

		for name, c := range map[string]struct {
			f    audit.Filter
			want []int64
		}{
			"actor":             {audit.Filter{ActorID: "alice"}, []int64{a2, a1}},
			"action":            {audit.Filter{Action: "training.post"}, []int64{b1, a1}},
			"worker":            {audit.Filter{WorkerID: w}, []int64{b1, a1}},
			"worker and actor":  {audit.Filter{WorkerID: w, ActorID: "bob"}, []int64{b1}},
			"since":             {audit.Filter{Since: day.Add(time.Hour)}, []int64{b2, b1, a2}},
			"until (exclusive)": {audit.Filter{Until: day.Add(2 * time.Hour)}, []int64{a2, a1}},
			"range":             {audit.Filter{Since: day.Add(30 * time.Minute), Until: day.Add(24 * time.Hour)}, []int64{b1, a2}},
			"nothing":           {audit.Filter{ActorID: "carol"}, []int64{}},
		} {
			got, err := s.Events(ctx, c.f, 0, 10)
			require.NoError(t, err, name)
			assert.Equal(t, c.want, append([]int64{}, ids(got)...), name)
		}

		var pages [][]int64
		before := int64(0)
		for range 5 {
			got, err := s.Events(ctx, audit.Filter{}, before, 3)
			require.NoError(t, err)
			if len(got) == 0 {
				break
			}
			pages = append(pages, ids(got))
			before = got[len(got)-1].ID
		}
		assert.Equal(t, [][]int64{{b2, b1, a2}, {a1}}, pages)
	})
}

func TestAuditStore_RefusesEventsNoCallerShouldBuild(t *testing.T) {
	eachAuditStore(t, func(t *testing.T, s *sqlstore.AuditStore, db *sqlstore.DB) {
		for name, mutate := range map[string]func(*audit.Event){
			"no actor":         func(e *audit.Event) { e.ActorID = "" },
			"no action":        func(e *audit.Event) { e.Action = "" },
			"no time":          func(e *audit.Event) { e.At = time.Time{} },
			"long target":      func(e *audit.Event) { e.Target = fmt.Sprintf("%0300d", 1) },
			"long worker id":   func(e *audit.Event) { e.WorkerIDs = []string{uuid.NewString() + "-extra"} },
			"empty worker id":  func(e *audit.Event) { e.WorkerIDs = []string{""} },
			"impossible state": func(e *audit.Event) { e.Status = 0 },
		} {
			e := auditEvent("adm", "organization.create", auditNow)
			mutate(&e)
			_, err := s.Append(context.Background(), e)
			assert.Error(t, err, name)
		}
		assert.Zero(t, count(t, db, "SELECT COUNT(*) FROM audit_events"))
	})
}
