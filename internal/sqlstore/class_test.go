package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/worker"
)

// classNow is the class tests' clock: 2026-11-28 09:00 in Shanghai.
var classNow = time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)

type classFixture struct {
	db    *sqlstore.DB
	store *sqlstore.ClassStore
	svc   *class.Service
	now   time.Time
}

// eachClassStore runs test against the class store on MariaDB and on SQLite, with workers
// 0–9 registered (nthSSN, nthName).
func eachClassStore(t *testing.T, test func(t *testing.T, f *classFixture)) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			m := testKeys(t)
			workers := db.Workers(m)
			var rows []worker.ImportRow
			for i := range 10 {
				rows = append(rows, row(nthSSN(i), nthName(i), nthCard(i), "active", "2020-01-01"))
			}
			importRows(t, workers, rows...)
			loc, err := time.LoadLocation("Asia/Shanghai")
			require.NoError(t, err)
			f := &classFixture{db: db, store: db.Classes(m), now: classNow}
			f.svc = &class.Service{Store: f.store, Directory: workers, Catalogue: class.DefaultCatalogue(),
				Location: loc, Now: func() time.Time { return f.now }}
			test(t, f)
		})
	}
}

// filing is a class that fits the pre_job_safety item, with sessions on 1 and 2 December
// 09:00–12:00 and workers 0–2 on its roster.
func filing(ext string) class.Input {
	hours, capacity := 6, 3
	in := class.Input{
		ExternalID: ext, CourseName: "焊工安全岗前培训", TrainingType: "pre_job", OccupationCode: "6-18-02-04",
		SubsidyItem: "pre_job_safety", Hours: &hours, StartDate: "2026-12-01", EndDate: "2026-12-02",
		Sessions: []class.SessionInput{{Date: "2026-12-02", StartsAt: "09:00", EndsAt: "12:00"}, {Date: "2026-12-01", StartsAt: "09:00", EndsAt: "12:00"}},
		Location: "市南区实训基地 3 楼", Teacher: "王老师", Capacity: &capacity,
	}
	for i := range 3 {
		in.Roster = append(in.Roster, class.LineInput{SSN: string(nthSSN(i)), Name: nthName(i)})
	}
	return in
}

func TestClassStore_FilingRoundTripsAndIsIdempotent(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		inst := uuid.NewString()
		c, outcome, err := f.svc.File(ctx, inst, filing("K-1"))
		require.NoError(t, err)
		assert.Equal(t, class.Created, outcome)
		assert.Equal(t, class.StatusFiled, c.Status)
		assert.False(t, c.LateFiling)
		require.Len(t, c.Roster, 3)
		assert.Equal(t, nthSSN(0), c.Roster[0].SSN)
		assert.Equal(t, nthName(2), c.Roster[2].Name)
		require.Len(t, c.Sessions, 2)
		assert.Equal(t, civil.Date{Y: 2026, M: 12, D: 1}, c.Sessions[0].Date, "sessions in date order")

		got, err := f.svc.Get(ctx, inst, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.Filing, got.Filing)
		assert.Equal(t, 3, got.RosterSize)

		in := filing("K-1")
		in.Roster[0], in.Roster[2] = in.Roster[2], in.Roster[0]
		again, outcome, err := f.svc.File(ctx, inst, in)
		require.NoError(t, err)
		assert.Equal(t, class.Unchanged, outcome, "the same class, roster in another order")
		assert.Equal(t, c.ID, again.ID)

		in.Teacher = "李老师"
		_, _, err = f.svc.File(ctx, inst, in)
		assert.Equal(t, class.CodeDuplicateConflict, errs.CodeOf(err))
		assert.Equal(t, errs.KindConflict, errs.KindOf(err))

		_, err = f.svc.Get(ctx, uuid.NewString(), c.ID)
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "another institution's class")
	})
}

func TestClassStore_WrongNameOnALineRefusesTheWholeFiling(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		in := filing("K-2")
		in.Roster[1].Name = nthName(7)
		_, _, err := f.svc.File(context.Background(), uuid.NewString(), in)
		e := errs.As(err)
		require.NotNil(t, e)
		assert.Equal(t, errs.KindInvalid, e.Kind)
		require.Len(t, e.Fields, 1)
		assert.Equal(t, 1, *e.Fields[0].Index)
		assert.Equal(t, "name_mismatch", e.Fields[0].Code)
		assert.Zero(t, count(t, f.db, "SELECT COUNT(*) FROM classes"))
		assert.Zero(t, count(t, f.db, "SELECT COUNT(*) FROM class_roster"))
	})
}

func TestClassStore_LateFilingRaisesAFlagTheBureauLists(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		f.now = time.Date(2026, 12, 1, 1, 30, 0, 0, time.UTC) // 09:30 in Shanghai, the first session under way
		c, _, err := f.svc.File(ctx, uuid.NewString(), filing("K-3"))
		require.NoError(t, err)
		assert.True(t, c.LateFiling)
		res, err := f.svc.Flags(ctx, class.FlagFilter{ClassID: c.ID}, page.Request{Limit: 10})
		require.NoError(t, err)
		require.Len(t, res.Items, 1)
		assert.Equal(t, class.FlagLateFiling, res.Items[0].Kind)
		assert.Empty(t, res.Items[0].WorkerID)

		day := civil.Date{Y: 2026, M: 12, D: 1}
		res, err = f.svc.Flags(ctx, class.FlagFilter{Kind: class.FlagLateFiling, From: day, To: day}, page.Request{Limit: 10})
		require.NoError(t, err)
		assert.Len(t, res.Items, 1)
		res, err = f.svc.Flags(ctx, class.FlagFilter{From: civil.Date{Y: 2026, M: 12, D: 2}}, page.Request{Limit: 10})
		require.NoError(t, err)
		assert.Empty(t, res.Items)
	})
}

func TestClassStore_RosterChangesUntilTheFirstSessionStarts(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		inst := uuid.NewString()
		c, _, err := f.svc.File(ctx, inst, filing("K-4"))
		require.NoError(t, err)

		_, err = f.svc.ChangeRoster(ctx, inst, c.ID, class.RosterChange{Add: []class.LineInput{{SSN: string(nthSSN(5)), Name: nthName(5)}}})
		assert.Equal(t, class.CodeOverCapacity, errs.CodeOf(err), "capacity 3")

		got, err := f.svc.ChangeRoster(ctx, inst, c.ID, class.RosterChange{
			Add: []class.LineInput{{SSN: string(nthSSN(5)), Name: nthName(5)}}, Remove: []string{string(nthSSN(0))}})
		require.NoError(t, err)
		require.Len(t, got.Roster, 3)
		assert.Equal(t, nthSSN(5), got.Roster[2].SSN)
		assert.Equal(t, 3, count(t, f.db, "SELECT roster_size FROM classes WHERE id = ?", c.ID))

		_, err = f.svc.ChangeRoster(ctx, inst, c.ID, class.RosterChange{Remove: []string{string(nthSSN(0))}})
		assert.Equal(t, class.CodeNotOnRoster, errs.CodeOf(err))

		f.now = time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC) // 09:00 in Shanghai: the first session starts
		_, err = f.svc.ChangeRoster(ctx, inst, c.ID, class.RosterChange{Remove: []string{string(nthSSN(1))}})
		assert.Equal(t, class.CodeClassStarted, errs.CodeOf(err))
		_, err = f.svc.Cancel(ctx, inst, c.ID, "场地不可用")
		assert.Equal(t, class.CodeClassStarted, errs.CodeOf(err))
	})
}

func TestClassStore_ReviewAndCancelFollowTheStateTable(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		inst := uuid.NewString()
		a, _, err := f.svc.File(ctx, inst, filing("K-5"))
		require.NoError(t, err)
		b, _, err := f.svc.File(ctx, inst, filing("K-6"))
		require.NoError(t, err)

		a, err = f.svc.Review(ctx, a.ID, class.ReviewInput{Decision: "approve"})
		require.NoError(t, err)
		assert.Equal(t, class.StatusApproved, a.Status)
		_, err = f.svc.Review(ctx, a.ID, class.ReviewInput{Decision: "reject", Reason: "重复"})
		assert.Equal(t, class.CodeInvalidTransition, errs.CodeOf(err), "approved → rejected")

		b, err = f.svc.Review(ctx, b.ID, class.ReviewInput{Decision: "reject", Reason: "场地不符"})
		require.NoError(t, err)
		assert.Equal(t, class.StatusRejected, b.Status)
		_, err = f.svc.Cancel(ctx, inst, b.ID, "撤回")
		assert.Equal(t, class.CodeInvalidTransition, errs.CodeOf(err), "rejected → cancelled")

		a, err = f.svc.Cancel(ctx, inst, a.ID, "学员不足")
		require.NoError(t, err)
		assert.Equal(t, class.StatusCancelled, a.Status)
		assert.Equal(t, "学员不足", a.CancelReason)
		got, err := f.svc.Get(ctx, "", a.ID)
		require.NoError(t, err)
		assert.Equal(t, class.StatusCancelled, got.Status)
		assert.False(t, got.CancelledAt.IsZero())

		list, err := f.svc.List(ctx, class.Filter{InstitutionID: inst, Status: class.StatusRejected}, page.Request{Limit: 10})
		require.NoError(t, err)
		require.Len(t, list.Items, 1)
		assert.Equal(t, b.ID, list.Items[0].ID)
		all, err := f.svc.List(ctx, class.Filter{}, page.Request{Limit: 1})
		require.NoError(t, err)
		require.Len(t, all.Items, 1)
		assert.NotEmpty(t, all.NextCursor)
	})
}

func TestClassStore_AttendanceCountsSessionsPerRosterMember(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		c, _, err := f.svc.File(ctx, uuid.NewString(), filing("K-7"))
		require.NoError(t, err)
		insert := "INSERT INTO class_checkins (id, class_id, worker_id, session_date, checked_in_at, method, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
		at := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
		for _, k := range []struct {
			worker string
			day    time.Time
		}{
			{c.Roster[0].WorkerID, civil.Date{Y: 2026, M: 12, D: 1}.Time()},
			{c.Roster[0].WorkerID, civil.Date{Y: 2026, M: 12, D: 2}.Time()},
			{c.Roster[1].WorkerID, civil.Date{Y: 2026, M: 12, D: 2}.Time()},
			{uuid.NewString(), civil.Date{Y: 2026, M: 12, D: 2}.Time()}, // not on the roster
		} {
			_, err := f.db.SQL().Exec(insert, uuid.NewString(), c.ID, k.worker, k.day, at, "manual", at)
			require.NoError(t, err)
		}
		got, err := f.store.Attendance(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{c.Roster[0].WorkerID: 2, c.Roster[1].WorkerID: 1}, got)
	})
}

func TestTrainingStore_KeepsTheClassLinkAndAttendanceRate(t *testing.T) {
	eachLedger(t, func(t *testing.T, db *sqlstore.DB) {
		inst := uuid.NewString()
		linked := storedTraining(inst, "class:L-1", newWorkerID(), trainingNow)
		rate := 0.6667
		linked.Record.ClassID, linked.Record.AttendanceRate = uuid.NewString(), &rate
		require.NoError(t, createTx(t, db, linked))
		got, err := db.Trainings().TrainingsByExternalID(context.Background(), inst, []string{"class:L-1"})
		require.NoError(t, err)
		assert.Equal(t, linked, got["class:L-1"])
		assert.True(t, got["class:L-1"].Matches(linked.WorkerID, linked.Record))
	})
}

func TestClassStore_ConcurrentIdenticalFilingsStoreOneClass(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		inst := uuid.NewString()
		type result struct {
			c       class.Class
			outcome class.Outcome
			err     error
		}
		out := make(chan result, 4)
		for range 4 {
			go func() {
				c, o, err := f.svc.File(context.Background(), inst, filing("K-R"))
				out <- result{c, o, err}
			}()
		}
		created, ids := 0, map[string]bool{}
		for range 4 {
			r := <-out
			require.NoError(t, r.err)
			if r.outcome == class.Created {
				created++
			}
			ids[r.c.ID] = true
		}
		assert.Equal(t, 1, created)
		assert.Len(t, ids, 1)
		assert.Equal(t, 1, count(t, f.db, "SELECT COUNT(*) FROM classes"))
	})
}
