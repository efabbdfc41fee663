package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/audit"
	"skillrecord/internal/civil"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/groupcommit"
)

// requestCtx is a request's context whose audit event (action me.checkin by actor) is
// prepared as the audit middleware prepares it.
func requestCtx(actor string) (context.Context, *audit.Collector) {
	ctx, col, _ := audit.NewContext(context.Background(), "req-"+uuid.NewString())
	col.Prepare(func() (audit.Event, bool) {
		return audit.Event{At: time.Now(), ActorID: actor, ActorRole: "worker", Action: "me.checkin",
			Target: "class", RequestID: "req-" + actor, Status: 201}, true
	})
	return ctx, col
}

// checkinEvents returns the me.checkin events that name worker w.
func checkinEvents(t *testing.T, f *classFixture, w string) []audit.Event {
	t.Helper()
	evs, err := f.db.Audit().Events(context.Background(), audit.Filter{WorkerID: w, Action: "me.checkin"}, 0, 10)
	require.NoError(t, err)
	return evs
}

func TestCommitCheckins_StoresTheGroupEachWithItsOwnAuditEvent(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		c, _ := f.approvedFiling(t, "G-1")
		date := mustDate(t, "2026-12-01")
		items := make([]class.RequestCheckin, len(c.Roster))
		cols := make([]*audit.Collector, len(c.Roster))
		for i, m := range c.Roster {
			ctx, col := requestCtx(m.WorkerID)
			audit.Touch(ctx, m.WorkerID)
			cols[i] = col
			items[i] = class.RequestCheckin{Ctx: ctx, Checkin: class.Checkin{ID: uuid.NewString(), ClassID: c.ID,
				WorkerID: m.WorkerID, SessionDate: date, CheckedInAt: f.now, Method: class.MethodPhone, CreatedAt: f.now}}
		}
		results := make([]error, len(items))
		f.store.CommitCheckins(context.Background(), items, results)
		for i, err := range results {
			require.NoError(t, err, "check-in %d", i)
		}
		for i, m := range c.Roster {
			id, committed := cols[i].Committed()
			assert.True(t, committed, "worker %d's request event counts as committed", i)
			evs := checkinEvents(t, f, m.WorkerID)
			require.Len(t, evs, 1, "one event names worker %d", i)
			assert.Equal(t, id, evs[0].ID)
			assert.Equal(t, m.WorkerID, evs[0].ActorID, "the event is worker %d's own request's", i)
			assert.Equal(t, []string{m.WorkerID}, evs[0].WorkerIDs)
		}
		ens, err := f.store.EnrolmentsOf(context.Background(), []string{c.Roster[0].WorkerID, c.Roster[2].WorkerID}, date, date)
		require.NoError(t, err)
		for _, w := range []string{c.Roster[0].WorkerID, c.Roster[2].WorkerID} {
			require.Len(t, ens[w], 1)
			require.NotNil(t, ens[w][0].Checkin, "worker %s is checked in", w)
		}
	})
}

func TestCommitCheckins_AClashFailsOnlyItsOwnCheckin(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		c, _ := f.approvedFiling(t, "G-2")
		date := mustDate(t, "2026-12-01")
		ck := func(w string) class.Checkin {
			return class.Checkin{ID: uuid.NewString(), ClassID: c.ID, WorkerID: w, SessionDate: date,
				CheckedInAt: f.now, Method: class.MethodPhone, CreatedAt: f.now}
		}
		stored := c.Roster[1].WorkerID
		first := []error{nil}
		ctx, _ := requestCtx(stored)
		audit.Touch(ctx, stored)
		f.store.CommitCheckins(context.Background(), []class.RequestCheckin{{Ctx: ctx, Checkin: ck(stored)}}, first)
		require.NoError(t, first[0])

		items := make([]class.RequestCheckin, len(c.Roster))
		cols := make([]*audit.Collector, len(c.Roster))
		for i, m := range c.Roster {
			var rctx context.Context
			rctx, cols[i] = requestCtx(m.WorkerID)
			audit.Touch(rctx, m.WorkerID)
			items[i] = class.RequestCheckin{Ctx: rctx, Checkin: ck(m.WorkerID)}
		}
		results := make([]error, len(items))
		f.store.CommitCheckins(context.Background(), items, results)
		assert.NoError(t, results[0])
		assert.Equal(t, errs.KindConflict, errs.KindOf(results[1]), "the worker checked in before clashes")
		assert.NoError(t, results[2])
		_, committed := cols[1].Committed()
		assert.False(t, committed, "the clashing request's event is left to the request")
		for _, i := range []int{0, 2} {
			_, committed := cols[i].Committed()
			assert.True(t, committed)
			assert.Len(t, checkinEvents(t, f, c.Roster[i].WorkerID), 1, "worker %d's event is stored once", i)
		}
		assert.Len(t, checkinEvents(t, f, stored), 1, "only the first check-in's event names the clashing worker")
	})
}

// TestCheckIn_GroupCommitAnswersEveryConcurrentCheckinOnce: with group commit on, concurrent
// phone check-ins — every roster member twice at once — store one check-in a worker, answer
// exactly one of each pair as new and the other with that same check-in, and leave refusals
// to the single path (a stale code is still refused with its flag).
func TestCheckIn_GroupCommitAnswersEveryConcurrentCheckinOnce(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		c, _ := f.approvedFiling(t, "G-3")
		f.now = time.Date(2026, 12, 1, 1, 30, 0, 0, time.UTC) // 09:30 in Shanghai
		k := f.checkins()
		k.StartGroups(groupcommit.Options{Writers: 2, MaxGroup: 4, Queue: 16})
		defer k.Close()
		code := k.Codes.Issue(c.ID, f.now).Short

		type answer struct {
			got class.PhoneCheckin
			err error
		}
		answers := make([][2]answer, len(c.Roster))
		var wg sync.WaitGroup
		for i, m := range c.Roster {
			for j := range 2 {
				wg.Go(func() {
					ctx, _ := requestCtx(m.WorkerID)
					got, err := k.CheckIn(ctx, m.WorkerID, code)
					answers[i][j] = answer{got, err}
				})
			}
		}
		wg.Wait()
		for i, pair := range answers {
			require.NoError(t, pair[0].err, "worker %d", i)
			require.NoError(t, pair[1].err, "worker %d", i)
			assert.NotEqual(t, pair[0].got.Created, pair[1].got.Created, "worker %d: one new, one repeat", i)
			assert.Equal(t, pair[0].got.ID, pair[1].got.ID, "worker %d: both answers are the one check-in", i)
		}
		groups, items := k.GroupStats()
		assert.Positive(t, groups)
		assert.Positive(t, items)

		stale := k.Codes.Issue(c.ID, f.now.Add(-2*time.Minute)).Short
		if stale != code {
			_, err := k.CheckIn(context.Background(), c.Roster[0].WorkerID, stale)
			assert.Equal(t, class.FlagCodeInvalid, errs.CodeOf(err), fmt.Sprintf("a stale code is refused (%s)", stale))
		}
	})
}

func mustDate(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.ParseDate(s)
	require.NoError(t, err)
	return d
}

// When the database refuses the group's transaction, every check-in of the group hears the
// error, none is stored, no request's event counts as committed (the request records it
// itself), and the same check-ins go in once the database answers again.
func TestCommitCheckins_AFailedGroupFailsEveryCheckinAndStoresNothing(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		c, _ := f.approvedFiling(t, "G-4")
		date := mustDate(t, "2026-12-01")
		items := make([]class.RequestCheckin, len(c.Roster))
		cols := make([]*audit.Collector, len(c.Roster))
		for i, m := range c.Roster {
			var rctx context.Context
			rctx, cols[i] = requestCtx(m.WorkerID)
			audit.Touch(rctx, m.WorkerID)
			items[i] = class.RequestCheckin{Ctx: rctx, Checkin: class.Checkin{ID: uuid.NewString(), ClassID: c.ID,
				WorkerID: m.WorkerID, SessionDate: date, CheckedInAt: f.now, Method: class.MethodPhone, CreatedAt: f.now}}
		}
		_, err := f.db.SQL().ExecContext(ctx, "ALTER TABLE audit_event_workers RENAME TO audit_event_workers_away")
		require.NoError(t, err)
		results := make([]error, len(items))
		f.store.CommitCheckins(ctx, items, results)
		for i, err := range results {
			require.Error(t, err, "check-in %d must not be told it was stored", i)
			_, committed := cols[i].Committed()
			assert.False(t, committed, "request %d's event is left to the request", i)
		}
		ens, err := f.store.EnrolmentsOf(ctx, []string{c.Roster[0].WorkerID}, date, date)
		require.NoError(t, err)
		require.Len(t, ens[c.Roster[0].WorkerID], 1)
		assert.Nil(t, ens[c.Roster[0].WorkerID][0].Checkin, "the check-in rolled back with its event")

		_, err = f.db.SQL().ExecContext(ctx, "ALTER TABLE audit_event_workers_away RENAME TO audit_event_workers")
		require.NoError(t, err)
		f.store.CommitCheckins(ctx, items, results)
		for i, err := range results {
			require.NoError(t, err, "check-in %d once the database answers", i)
			_, committed := cols[i].Committed()
			assert.True(t, committed)
		}
	})
}
