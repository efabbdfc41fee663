package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/class"
	"skillrecord/internal/errs"
)

// checkins is the attendance use cases on f's store and clock, with a fixed code key.
func (f *classFixture) checkins() *class.Checkins {
	return &class.Checkins{Store: f.store, Directory: f.svc.Directory, Codes: class.NewCodes([]byte(strings.Repeat("c", 32))),
		Location: f.svc.Location, Now: func() time.Time { return f.now }}
}

// approvedFiling files and approves a class with sessions on 1 and 2 December 09:00–12:00 and
// workers 0–2 on its roster.
func (f *classFixture) approvedFiling(t *testing.T, ext string) (class.Class, string) {
	t.Helper()
	ctx := context.Background()
	inst := uuid.NewString()
	c, _, err := f.svc.File(ctx, inst, filing(ext))
	require.NoError(t, err)
	c, err = f.svc.Review(ctx, c.ID, class.ReviewInput{Decision: class.DecisionApprove})
	require.NoError(t, err)
	return c, inst
}

func TestCheckinStore_PhoneCheckInOnceThenStoredAndOverlapRefused(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		a, _ := f.approvedFiling(t, "A-1")
		body := filing("A-2")
		body.Sessions = body.Sessions[1:] // 1 December only
		body.Sessions[0].StartsAt, body.Sessions[0].EndsAt = "11:00", "13:00"
		body.EndDate = "2026-12-01"
		b, _, err := f.svc.File(ctx, uuid.NewString(), body)
		require.NoError(t, err)
		_, err = f.svc.Review(ctx, b.ID, class.ReviewInput{Decision: class.DecisionApprove})
		require.NoError(t, err)

		f.now = time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC) // 11:00 in Shanghai
		k := f.checkins()
		w := a.Roster[0].WorkerID
		got, err := k.CheckIn(ctx, w, k.Codes.Issue(a.ID, f.now).Short)
		require.NoError(t, err)
		assert.True(t, got.Created)
		assert.Equal(t, "2026-12-01", got.SessionDate.String())
		again, err := k.CheckIn(ctx, w, k.Codes.Issue(a.ID, f.now).Payload)
		require.NoError(t, err)
		assert.False(t, again.Created)
		assert.Equal(t, got.ID, again.ID)

		_, err = k.CheckIn(ctx, w, k.Codes.Issue(b.ID, f.now).Short)
		assert.Equal(t, class.FlagOverlap, errs.CodeOf(err))
		flags, err := f.store.Flags(ctx, class.FlagQuery{ClassID: b.ID}, nil, 10)
		require.NoError(t, err)
		require.Len(t, flags, 1)
		assert.Equal(t, class.FlagOverlap, flags[0].Kind)
		assert.Equal(t, w, flags[0].WorkerID)
	})
}

func TestCheckinStore_BulkStoresTheGoodLinesOnceAndFlagsTheRest(t *testing.T) {
	eachClassStore(t, func(t *testing.T, f *classFixture) {
		ctx := context.Background()
		c, inst := f.approvedFiling(t, "B-1")
		f.now = time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC) // 14:00 on 2 December
		k := f.checkins()
		line := func(i int, at string) class.EntryInput {
			return class.EntryInput{SSN: string(nthSSN(i)), CheckedInAt: at, Method: class.MethodCardReader}
		}
		in := class.BulkInput{SessionDate: "2026-12-02", Entries: []class.EntryInput{
			line(0, "2026-12-02T09:01:00+08:00"), line(5, "2026-12-02T09:01:00+08:00"),
			line(1, "2026-12-02T12:16:00+08:00"), line(0, "2026-12-02T09:03:00+08:00"),
		}}
		res, err := k.Bulk(ctx, inst, c.ID, in)
		require.NoError(t, err)
		assert.Equal(t, class.BulkResult{Accepted: 2, Refused: []class.Refused{{Index: 1, Code: class.FlagNotOnRoster}, {Index: 2, Code: class.FlagOutsideSession}}}, res)
		res, err = k.Bulk(ctx, inst, c.ID, class.BulkInput{SessionDate: "2026-12-02", Entries: in.Entries[:1]})
		require.NoError(t, err)
		assert.Equal(t, 1, res.Accepted)
		att, err := f.store.Attendance(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, map[string]int{c.Roster[0].WorkerID: 1}, att)
		flags, err := f.store.Flags(ctx, class.FlagQuery{ClassID: c.ID}, nil, 10)
		require.NoError(t, err)
		assert.Len(t, flags, 2)

		_, err = k.Bulk(ctx, uuid.NewString(), c.ID, in)
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "another institution's class")
	})
}
