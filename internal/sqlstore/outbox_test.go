package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
)

func posted(subject string) event.Event {
	return event.Event{Kind: event.KindTrainingPosted, WorkerRef: uuid.NewString(), OrgID: uuid.NewString(), SubjectID: subject,
		Data: event.MarshalData(map[string]any{"hours": 40})}
}

func TestOutbox_EventsCommitWithTheWriteAndVanishWithARollback(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			boom := errors.New("the write failed after emitting")
			err := db.WithTx(ctx, func(ctx context.Context) error {
				require.NoError(t, event.Emit(ctx, posted("rolled-back")))
				return boom
			})
			require.ErrorIs(t, err, boom)
			n, err := db.Outbox().CountUnsent(ctx)
			require.NoError(t, err)
			assert.Zero(t, n, "a rolled-back write leaves no event")

			require.NoError(t, db.WithTx(ctx, func(ctx context.Context) error {
				return db.WithTx(ctx, func(ctx context.Context) error { // a nested WithTx joins the outer one
					return event.Emit(ctx, posted("committed"))
				})
			}))
			got, err := db.Outbox().After(ctx, 0, nil, 10)
			require.NoError(t, err)
			require.Len(t, got, 1)
			assert.Equal(t, "committed", got[0].SubjectID)
			assert.Equal(t, event.KindTrainingPosted, got[0].Kind)
			assert.JSONEq(t, `{"hours":40}`, string(got[0].Data))
			_, err = uuid.Parse(got[0].ID)
			assert.NoError(t, err, "the event id is a UUID")
			assert.WithinDuration(t, time.Now(), got[0].At, time.Minute)
		})
	}
}

func TestOutbox_EmitOutsideATransactionIsRefused(t *testing.T) {
	err := event.Emit(context.Background(), posted("x"))
	assert.Equal(t, errs.KindInternal, errs.KindOf(err))
}

func TestOutbox_ABatchOfAThousandEventsCommitsInOrder(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			events := make([]event.Event, 1000)
			for i := range events {
				events[i] = posted(fmt.Sprintf("t-%04d", i))
			}
			require.NoError(t, db.WithTx(ctx, func(ctx context.Context) error { return event.Emit(ctx, events...) }))
			got, err := db.Outbox().Unsent(ctx, 0, 2000)
			require.NoError(t, err)
			require.Len(t, got, 1000)
			for i, e := range got {
				assert.Equal(t, fmt.Sprintf("t-%04d", i), e.SubjectID)
				if i > 0 {
					assert.Greater(t, e.Seq, got[i-1].Seq)
				}
			}
		})
	}
}

func TestOutbox_MarkSentAndTheFeedFilterByKind(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			voided := posted("v1")
			voided.Kind = event.KindTrainingVoided
			require.NoError(t, db.WithTx(ctx, func(ctx context.Context) error {
				return event.Emit(ctx, posted("p1"), voided, posted("p2"))
			}))
			all, err := db.Outbox().Unsent(ctx, 0, 10)
			require.NoError(t, err)
			require.Len(t, all, 3)
			require.NoError(t, db.Outbox().MarkSent(ctx, all[0].Seq, all[1].Seq, time.Now()))
			unsent, err := db.Outbox().Unsent(ctx, 0, 10)
			require.NoError(t, err)
			require.Len(t, unsent, 1)
			assert.Equal(t, "p2", unsent[0].SubjectID)

			onlyVoided, err := db.Outbox().After(ctx, 0, []string{event.KindTrainingVoided}, 10)
			require.NoError(t, err)
			require.Len(t, onlyVoided, 1)
			assert.Equal(t, "v1", onlyVoided[0].SubjectID)
			rest, err := db.Outbox().After(ctx, all[0].Seq, nil, 10)
			require.NoError(t, err)
			assert.Len(t, rest, 2, "the feed pages by outbox position, sent or not")
		})
	}
}
