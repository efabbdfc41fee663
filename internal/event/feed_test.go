package event_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/page"
)

// afterStore answers one page of one event at position next and records the position asked for.
type afterStore struct {
	asked int64
	next  int64
}

func (s *afterStore) After(_ context.Context, after int64, _ []string, _ int) ([]event.Event, error) {
	s.asked = after
	if s.next == 0 {
		return nil, nil
	}
	return []event.Event{{Seq: s.next, ID: "e", Kind: event.KindTrainingPosted, SubjectID: "t"}}, nil
}

func TestFeed_CursorNamesTheEventInsideItsOutboxRow(t *testing.T) {
	store := &afterStore{next: event.Seq(41, 7)}
	f := &event.Feed{Store: store}
	p, err := f.List(context.Background(), nil, page.Request{Limit: 20})
	require.NoError(t, err)
	assert.Zero(t, store.asked, "from the start")
	cursor, err := page.Parse("", p.NextCursor)
	require.NoError(t, err)

	store.next = event.Seq(41, 8)
	_, err = f.List(context.Background(), nil, cursor)
	require.NoError(t, err)
	assert.Equal(t, event.Seq(41, 7), store.asked, "the next page starts after that event of the bundle")
}

func TestFeed_ACursorFromBeforeBundlesStillWorks(t *testing.T) {
	store := &afterStore{}
	f := &event.Feed{Store: store}
	// Before bundles a cursor held the outbox row id of the last event given ("v1:41").
	old, err := page.Parse("", page.Cursor("41"))
	require.NoError(t, err)
	p, err := f.List(context.Background(), nil, old)
	require.NoError(t, err)
	assert.Equal(t, event.AfterRow(41), store.asked, "after every event of row 41")
	assert.Empty(t, p.NextCursor, "an empty page gives no cursor")
	assert.Greater(t, event.Seq(42, 0), store.asked)
	assert.Less(t, event.Seq(41, 0), store.asked)
}

func TestFeed_RefusesCursorsItDidNotGiveOut(t *testing.T) {
	f := &event.Feed{Store: &afterStore{}}
	for _, inner := range []string{"x", "-1", "+1", " 1", "1.", ".1", "1.-1", "1.x", "1.2.3", "1.1048576",
		"99999999999999999999", "9223372036854775807"} {
		_, err := f.List(context.Background(), nil, page.Request{Limit: 20, After: inner})
		assert.Equal(t, "invalid_cursor", errs.CodeOf(err), "cursor %q", inner)
	}
}
