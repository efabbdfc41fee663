package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/audit"
)

func preparedCtx(audited bool) (context.Context, *audit.Collector) {
	ctx, col, _ := audit.NewContext(context.Background(), "req-1")
	col.Prepare(func() (audit.Event, bool) {
		return audit.Event{At: time.Unix(1, 0), ActorID: "a", ActorRole: "admin", Action: "x.create", Status: 201}, audited
	})
	return ctx, col
}

func TestPending_IsTakenByOneTransactionAtATimeAndCountsOnlyWhenCommitted(t *testing.T) {
	ctx, col := preparedCtx(true)
	audit.Touch(ctx, "w-2", "w-1", "w-2")

	first, ok := audit.PendingIn(ctx)
	require.True(t, ok)
	assert.Equal(t, []string{"w-1", "w-2"}, first.Event.WorkerIDs, "the workers touched so far")
	_, ok = audit.PendingIn(ctx)
	assert.False(t, ok, "a concurrent transaction does not take the event a running one holds")

	first.Settle(0, false) // rolled back (a deadlock): the retry takes it again
	audit.Touch(ctx, "w-3")
	retry, ok := audit.PendingIn(ctx)
	require.True(t, ok)
	assert.Equal(t, []string{"w-1", "w-2", "w-3"}, retry.Event.WorkerIDs)
	_, committed := col.Committed()
	assert.False(t, committed)

	retry.Settle(42, true)
	id, committed := col.Committed()
	assert.True(t, committed)
	assert.EqualValues(t, 42, id)
	_, ok = audit.PendingIn(ctx)
	assert.False(t, ok, "stored once: later transactions of the request append nothing")
	assert.Empty(t, col.Late())
	audit.Touch(ctx, "w-9", "w-1")
	assert.Equal(t, []string{"w-9"}, col.Late(), "touched after the commit: not in the event")
}

func TestPending_NoneForUnauditedClaimedOrDetachedRequests(t *testing.T) {
	ctx, _ := preparedCtx(false)
	_, ok := audit.PendingIn(ctx)
	assert.False(t, ok, "a request the middleware does not audit")

	ctx, col := preparedCtx(true)
	_, ok = audit.PendingIn(audit.WithoutEvent(ctx))
	assert.False(t, ok, "work shared by many requests")
	require.True(t, col.Claim())
	_, ok = audit.PendingIn(ctx)
	assert.False(t, ok, "recorded by the middleware already")

	_, ok = audit.PendingIn(context.Background())
	assert.False(t, ok, "outside a request")
	ctx, _, _ = audit.NewContext(context.Background(), "req-2")
	_, ok = audit.PendingIn(ctx)
	assert.False(t, ok, "nothing prepared")
}
