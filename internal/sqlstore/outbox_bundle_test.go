package sqlstore_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/event"
	"skillrecord/internal/sqlstore"
)

// credited is a credits.posted event for subject.
func credited(subject string) event.Event {
	e := posted(subject)
	e.Kind = event.KindCreditsPosted
	e.Data = event.MarshalData(map[string]any{"amount": 2.5, "subject": subject})
	return e
}

// emitAll commits events in one transaction and returns them as emitted (ids filled in).
func emitAll(t *testing.T, db *sqlstore.DB, events ...event.Event) []event.Event {
	t.Helper()
	for i := range events {
		if events[i].ID == "" {
			events[i].ID = uuid.Must(uuid.NewV7()).String()
		}
		if events[i].At.IsZero() {
			events[i].At = time.Now().UTC().Truncate(time.Microsecond)
		}
	}
	require.NoError(t, db.WithTx(context.Background(), func(ctx context.Context) error { return event.Emit(ctx, events...) }))
	return events
}

// oldRow stores one event as a row written before bundles existed (no events column given).
func oldRow(t *testing.T, db *sqlstore.DB, e event.Event) event.Event {
	t.Helper()
	e.ID = uuid.NewString()
	e.At = time.Date(2026, 1, 2, 3, 4, 5, 678000, time.UTC)
	_, err := db.SQL().Exec("INSERT INTO event_outbox (event_id, kind, at, worker_ref, org_id, subject_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.ID, e.Kind, e.At, e.WorkerRef, e.OrgID, e.SubjectID, string(e.Data))
	require.NoError(t, err)
	return e
}

// sameEvents checks got against want event by event: id, kind, time, worker, organisation,
// subject and data, in order, with positions that grow.
func sameEvents(t *testing.T, want, got []event.Event) {
	t.Helper()
	require.Len(t, got, len(want))
	for i, w := range want {
		g := got[i]
		assert.Equal(t, w.ID, g.ID, "event %d", i)
		assert.Equal(t, w.Kind, g.Kind, "event %d", i)
		assert.True(t, w.At.Equal(g.At), "event %d: at %v, want %v", i, g.At, w.At)
		assert.Equal(t, w.WorkerRef, g.WorkerRef, "event %d", i)
		assert.Equal(t, w.OrgID, g.OrgID, "event %d", i)
		assert.Equal(t, w.SubjectID, g.SubjectID, "event %d", i)
		assert.JSONEq(t, string(w.Data), string(g.Data), "event %d", i)
		if i > 0 {
			assert.Greater(t, g.Seq, got[i-1].Seq, "event %d: positions grow", i)
		}
	}
}

// pages reads the feed from after by pages of limit and returns every event.
func pages(t *testing.T, o *sqlstore.Outbox, after int64, kinds []string, limit int) []event.Event {
	t.Helper()
	var all []event.Event
	for range 10_000 {
		page, err := o.After(context.Background(), after, kinds, limit)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page), limit)
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
		after = page[len(page)-1].Seq
	}
	t.Fatal("the feed does not end")
	return nil
}

func countRows(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	var n int
	require.NoError(t, db.SQL().QueryRow("SELECT COUNT(*) FROM event_outbox").Scan(&n))
	return n
}

func TestOutbox_RunsOfOneKindShareARowAndReadBackEventByEvent(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			var want []event.Event
			// A batch: a thousand training.posted, then a thousand credits.posted.
			batch := batchEvents()
			want = append(want, emitAll(t, db, batch...)...)
			rows := countRows(t, db)
			assert.Less(t, rows, 30, "2,000 events in a few rows")
			// Kinds that alternate stay in their order: rows of one event.
			want = append(want, emitAll(t, db, posted("a"), credited("a"), posted("b"), credited("b"))...)
			assert.Equal(t, rows+4, countRows(t, db))

			n, err := db.Outbox().CountUnsent(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, len(want), n, "unsent counts events, not rows")
			all, err := db.Outbox().After(ctx, 0, nil, 5000)
			require.NoError(t, err)
			sameEvents(t, want, all)
			for _, limit := range []int{1, 7, 100, 181} {
				sameEvents(t, want, pages(t, db.Outbox(), 0, nil, limit))
			}
			unsent, err := db.Outbox().Unsent(ctx, 0, 5000)
			require.NoError(t, err)
			sameEvents(t, want, unsent)

			var onlyCredits []event.Event
			for _, e := range want {
				if e.Kind == event.KindCreditsPosted {
					onlyCredits = append(onlyCredits, e)
				}
			}
			sameEvents(t, onlyCredits, pages(t, db.Outbox(), 0, []string{event.KindCreditsPosted}, 33))
			// From the middle of a bundle, with and without the filter.
			mid := all[1234].Seq
			sameEvents(t, want[1235:], pages(t, db.Outbox(), mid, nil, 100))
			sameEvents(t, onlyCredits[235:], pages(t, db.Outbox(), mid, []string{event.KindCreditsPosted}, 100))
		})
	}
}

func TestOutbox_OldRowsAndBundlesReadAsOneFeed(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			want := []event.Event{oldRow(t, db, posted("old-1")), oldRow(t, db, credited("old-1"))}
			want = append(want, emitAll(t, db, posted("new-1"), posted("new-2"), posted("new-3"))...)
			want = append(want, oldRow(t, db, posted("old-2")))
			want = append(want, emitAll(t, db, credited("new-4"))...)
			sameEvents(t, want, pages(t, db.Outbox(), 0, nil, 2))
			sameEvents(t, []event.Event{want[0], want[2], want[3], want[4], want[5]},
				pages(t, db.Outbox(), 0, []string{event.KindTrainingPosted}, 2))

			// Every old row's position is its id at index 0, and the position after all of
			// an old row (what an old cursor named) continues with the next event.
			all, err := db.Outbox().After(ctx, 0, nil, 100)
			require.NoError(t, err)
			assert.Zero(t, event.IndexOf(all[0].Seq))
			sameEvents(t, want[1:], pages(t, db.Outbox(), event.AfterRow(event.RowOf(all[0].Seq)), nil, 3))
			sameEvents(t, want[5:], pages(t, db.Outbox(), event.AfterRow(event.RowOf(all[4].Seq)), nil, 3))
		})
	}
}

func TestOutbox_ABundleIsMarkedSentOnlyOnceAllOfItIs(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			old := oldRow(t, db, credited("old"))
			bundle := emitAll(t, db, posted("p0"), posted("p1"), posted("p2"), posted("p3"))
			last := emitAll(t, db, credited("c0"))
			want := append(append([]event.Event{old}, bundle...), last...)
			all, err := db.Outbox().Unsent(ctx, 0, 100)
			require.NoError(t, err)
			sameEvents(t, want, all)

			// Acknowledged up to the middle of the bundle: the old row is sent, the bundle not.
			require.NoError(t, db.Outbox().MarkSent(ctx, all[0].Seq, all[2].Seq, time.Now()))
			unsent, err := db.Outbox().Unsent(ctx, 0, 100)
			require.NoError(t, err)
			sameEvents(t, want[1:], unsent)
			n, err := db.Outbox().CountUnsent(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, 5, n)
			// Read on from the relay's place inside the bundle.
			rest, err := db.Outbox().Unsent(ctx, all[2].Seq, 100)
			require.NoError(t, err)
			sameEvents(t, want[3:], rest)

			// The rest of the bundle and the next row: both marked.
			require.NoError(t, db.Outbox().MarkSent(ctx, all[3].Seq, all[5].Seq, time.Now()))
			n, err = db.Outbox().CountUnsent(ctx)
			require.NoError(t, err)
			assert.Zero(t, n)
			feed, err := db.Outbox().After(ctx, 0, nil, 100)
			require.NoError(t, err)
			sameEvents(t, want, feed)
		})
	}
}

func TestOutbox_BundlesKeepOddTextAndSplitBySize(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			odd := posted(`quote " backslash \ <tag> & 换行` + "\n\t")
			odd.OrgID = ""
			odd.Data = []byte(`{ "note" : "职业 \"技能\"\u2028", "n": [1, 2.5, null] }`)
			big := make([]event.Event, 300)
			for i := range big {
				big[i] = posted(fmt.Sprintf("big-%03d", i))
				big[i].Data = event.MarshalData(map[string]string{"pad": strings.Repeat("技", 100+i)})
			}
			// Events of one time and organisation, one without an organisation, one of another time.
			at := time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC)
			shared := []event.Event{credited("s0"), credited("s1"), credited("s2"), credited("s3")}
			for i := range shared {
				shared[i].At, shared[i].OrgID = at, "org-x"
			}
			shared[2].OrgID = ""
			shared[3].At = at.Add(time.Microsecond)
			want := emitAll(t, db, append(append([]event.Event{odd, posted("plain")}, big...), shared...)...)
			assert.Greater(t, countRows(t, db), 3, "bundles stay under the column's 64 KiB")
			got, err := db.Outbox().After(ctx, 0, nil, 1000)
			require.NoError(t, err)
			sameEvents(t, want, got)
			sameEvents(t, want, pages(t, db.Outbox(), 0, nil, 17))
		})
	}
}

func TestOutbox_BundlesAreStoredDeflatedAndPlainOnesStillRead(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			// A bundle as written before 2026-12-07: its JSON array as it is.
			plainIDs := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
			at := time.Date(2026, 12, 6, 1, 2, 3, 456000, time.UTC)
			plainData := `[{"id":"` + plainIDs[0] + `","worker_ref":"w-0","subject_id":"p-0","data":{"hours":40}},` +
				`{"id":"` + plainIDs[1] + `","worker_ref":"w-1","subject_id":"p-1","data":{"hours":41}},` +
				`{"id":"` + plainIDs[2] + `","at":"2026-12-06T01:02:04Z","worker_ref":"w-2","org_id":"","subject_id":"p-2","data":{}}]`
			_, err := db.SQL().Exec("INSERT INTO event_outbox (event_id, kind, at, worker_ref, org_id, subject_id, data, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				plainIDs[0], event.KindTrainingPosted, at, "", "org-1", "p-0", plainData, 3)
			require.NoError(t, err)
			want := []event.Event{
				{ID: plainIDs[0], Kind: event.KindTrainingPosted, At: at, WorkerRef: "w-0", OrgID: "org-1", SubjectID: "p-0", Data: []byte(`{"hours":40}`)},
				{ID: plainIDs[1], Kind: event.KindTrainingPosted, At: at, WorkerRef: "w-1", OrgID: "org-1", SubjectID: "p-1", Data: []byte(`{"hours":41}`)},
				{ID: plainIDs[2], Kind: event.KindTrainingPosted, At: time.Date(2026, 12, 6, 1, 2, 4, 0, time.UTC), WorkerRef: "w-2", SubjectID: "p-2", Data: []byte(`{}`)},
			}

			// A batch's events: 2,000 in bundles bounded by their JSON (60,000 bytes), stored
			// deflated in far fewer bytes than that.
			batch := batchEvents()
			want = append(want, emitAll(t, db, batch...)...)

			rows, err := db.SQL().Query("SELECT events, data FROM event_outbox ORDER BY id")
			require.NoError(t, err)
			defer rows.Close()
			var deflated, plain, bytesStored, bytesJSON int
			for rows.Next() {
				var events int
				var data string
				require.NoError(t, rows.Scan(&events, &data))
				switch {
				case strings.HasPrefix(data, "deflate:"):
					deflated++
					bytesStored += len(data)
					assert.Greater(t, events, 1, "only bundles are deflated")
					jsonArray, err := sqlstore.UnpackBundle(data)
					require.NoError(t, err)
					assert.LessOrEqual(t, len(jsonArray), 60000, "bundles are bounded by their JSON")
					bytesJSON += len(jsonArray)
				case events > 1:
					plain++
					assert.True(t, strings.HasPrefix(data, "["), "a plain bundle is a JSON array")
				}
			}
			require.NoError(t, rows.Err())
			assert.Equal(t, 1, plain, "the bundle written before")
			assert.Greater(t, deflated, 2, "a batch's 2,000 events keep their bundles of up to 60,000 bytes of JSON")
			assert.Less(t, bytesStored, bytesJSON/2, "deflated, a batch's bundles take well under half the bytes")
			t.Logf("%d bundles: %d bytes of JSON stored in %d", deflated, bytesJSON, bytesStored)

			got, err := db.Outbox().After(context.Background(), 0, nil, 5000)
			require.NoError(t, err)
			sameEvents(t, want, got)
			sameEvents(t, want, pages(t, db.Outbox(), 0, nil, 97))
			unsent, err := db.Outbox().Unsent(context.Background(), 0, 5000)
			require.NoError(t, err)
			sameEvents(t, want, unsent)
		})
	}
}

func TestOutbox_PackBundleDeflatesOnlyWhenShorter(t *testing.T) {
	jsonArray := []byte("[" + strings.TrimSuffix(strings.Repeat(`{"id":"x","data":{"hours":40}},`, 500), ",") + "]")
	packed := sqlstore.PackBundle(jsonArray)
	assert.True(t, strings.HasPrefix(packed, "deflate:"))
	assert.Less(t, len(packed), len(jsonArray)/10)
	back, err := sqlstore.UnpackBundle(packed)
	require.NoError(t, err)
	assert.Equal(t, jsonArray, back)

	// Random text does not shrink: stored as it is, never longer than the JSON.
	noise := make([]byte, 3000)
	_, err = rand.Read(noise)
	require.NoError(t, err)
	random := []byte(`["` + base64.StdEncoding.EncodeToString(noise) + `"]`)
	assert.Equal(t, string(random), sqlstore.PackBundle(random))
	back, err = sqlstore.UnpackBundle(string(random))
	require.NoError(t, err)
	assert.Equal(t, random, back)

	_, err = sqlstore.UnpackBundle("deflate:not base64!")
	assert.Error(t, err)
}

// batchEvents are a 1,000-record batch's events: a thousand training.posted, then a thousand
// credits.posted.
func batchEvents() []event.Event {
	batch := make([]event.Event, 0, 2000)
	for i := range 1000 {
		batch = append(batch, posted(fmt.Sprintf("t-%04d", i)))
	}
	for i := range 1000 {
		batch = append(batch, credited(fmt.Sprintf("t-%04d", i)))
	}
	return batch
}
