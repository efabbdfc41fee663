package event_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
)

func TestEmit_FillsIDTimeOrgAndDataAndKeepsTheOrder(t *testing.T) {
	ctx, batch := event.NewBatch(event.WithOrg(context.Background(), "org-1"))
	at := time.Date(2026, 3, 20, 8, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	require.NoError(t, event.Emit(ctx,
		event.Event{Kind: event.KindTrainingPosted, SubjectID: "a", At: at},
		event.Event{Kind: event.KindCardReplaced, SubjectID: "b", OrgID: "org-2", Data: []byte(`{"x":1}`)},
	))
	got := batch.Events()
	require.Len(t, got, 2)
	assert.Equal(t, "a", got[0].SubjectID)
	_, err := uuid.Parse(got[0].ID)
	assert.NoError(t, err)
	assert.Equal(t, at.UTC().Truncate(time.Microsecond), got[0].At, "UTC at the microseconds storage keeps")
	assert.Equal(t, "org-1", got[0].OrgID, "the organisation of the context")
	assert.JSONEq(t, `{}`, string(got[0].Data))
	assert.Equal(t, "org-2", got[1].OrgID, "an event's own organisation wins")
	assert.False(t, got[1].At.IsZero())
	assert.Equal(t, "skillrecord.card.replaced", got[1].Subject())
}

func TestParseKinds_AcceptsKnownKindsOnce(t *testing.T) {
	kinds, err := event.ParseKinds(" training.posted, credits.posted ,training.posted")
	require.NoError(t, err)
	assert.Equal(t, []string{"training.posted", "credits.posted"}, kinds)
	kinds, err = event.ParseKinds("")
	require.NoError(t, err)
	assert.Nil(t, kinds)
	_, err = event.ParseKinds("training.posted,training.deleted")
	assert.Equal(t, event.CodeInvalidKinds, errs.CodeOf(err))
}
