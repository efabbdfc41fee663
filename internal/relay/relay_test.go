package relay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/event"
	"skillrecord/internal/relay"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// leases adapts the database's leases to the relay, as serve does.
type leases struct{ db *sqlstore.DB }

func (l leases) AcquireLease(ctx context.Context, name string, ttl time.Duration, now func() time.Time) (relay.Lease, error) {
	lease, err := l.db.AcquireLease(ctx, name, ttl, now)
	if err != nil {
		return nil, err
	}
	return lease, nil
}

const stream = "SKILLRECORD"

// emit commits n events in one transaction, for workers w0…w4 in turn.
func emit(t testing.TB, db *sqlstore.DB, from, n int) {
	t.Helper()
	events := make([]event.Event, n)
	for i := range events {
		events[i] = event.Event{
			Kind: event.KindCreditsPosted, WorkerRef: fmt.Sprintf("w%d", (from+i)%5), SubjectID: fmt.Sprintf("s-%06d", from+i),
			Data: event.MarshalData(map[string]int{"n": from + i}),
		}
	}
	require.NoError(t, db.WithTx(context.Background(), func(ctx context.Context) error { return event.Emit(ctx, events...) }))
}

// start runs a relay until the test ends (or stop is called) and returns stop.
func start(t testing.TB, db *sqlstore.DB, url string, ttl time.Duration) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &relay.Relay{URL: url, Stream: stream, Outbox: db.Outbox(), Leases: leases{db}, Log: testenv.Logger(t),
		Poll: 20 * time.Millisecond, LeaseTTL: ttl, AckWait: 2 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// drained waits until the outbox has no unsent row.
func drained(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	require.Eventually(t, func() bool {
		n, err := db.Outbox().CountUnsent(context.Background())
		return err == nil && n == 0
	}, 60*time.Second, 20*time.Millisecond, "every event is acknowledged and marked sent")
}

type published struct {
	MsgID   string
	Subject string
	Event   event.Event
}

// streamed reads every message of the stream in stream order.
func streamed(t testing.TB, url string) []published {
	t.Helper()
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"skillrecord.>"}, info.Config.Subjects)
	var out []published
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		require.NoError(t, err)
		var e event.Event
		require.NoError(t, json.Unmarshal(m.Data, &e))
		out = append(out, published{MsgID: m.Header.Get(nats.MsgIdHdr), Subject: m.Subject, Event: e})
	}
	return out
}

// feed reads the whole pull feed's order from the outbox.
func feed(t testing.TB, db *sqlstore.DB) []event.Event {
	t.Helper()
	all, err := db.Outbox().After(context.Background(), 0, nil, 1_000_000)
	require.NoError(t, err)
	return all
}

// sameAsFeed checks that the stream holds each event of the feed once, in the feed's order,
// with its id as the message id.
func sameAsFeed(t testing.TB, got []published, want []event.Event) {
	t.Helper()
	require.Len(t, got, len(want), "one message per event, no duplicate")
	for i, e := range want {
		assert.Equal(t, e.ID, got[i].MsgID, "message %d: Nats-Msg-Id is the event id", i)
		assert.Equal(t, e.ID, got[i].Event.ID)
		assert.Equal(t, "skillrecord."+e.Kind, got[i].Subject)
		assert.Equal(t, e.SubjectID, got[i].Event.SubjectID, "message %d in outbox order", i)
		assert.Equal(t, e.WorkerRef, got[i].Event.WorkerRef)
		assert.JSONEq(t, string(e.Data), string(got[i].Event.Data))
	}
}

func TestRelay_PublishesTheOutboxInOrderAndTheFeedMatchesTheStream(t *testing.T) {
	db := testenv.MySQL(t)
	ns := testenv.StartNATSServer(t)
	for i := range 5 {
		emit(t, db, i*30, 30)
	}
	start(t, db, ns.URL, 3*time.Second)
	drained(t, db)
	emit(t, db, 150, 10) // while the relay runs
	drained(t, db)
	sameAsFeed(t, streamed(t, ns.URL), feed(t, db))
}

func TestRelay_NATSDownDelaysEventsAndLosesNone(t *testing.T) {
	db := testenv.MySQL(t)
	ns := testenv.StartNATSServer(t)
	start(t, db, ns.URL, 3*time.Second)
	emit(t, db, 0, 20)
	drained(t, db)

	ns.Kill()
	emit(t, db, 20, 20)
	emit(t, db, 40, 20)
	time.Sleep(2 * time.Second) // the relay retries against a dead server meanwhile
	n, err := db.Outbox().CountUnsent(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 40, n, "nothing is marked sent while NATS is down")

	ns.Start()
	drained(t, db)
	sameAsFeed(t, streamed(t, ns.URL), feed(t, db))
}

// TestRelay_TwoRelaysNeverPublishAnEventTwice runs two relays on one outbox: one holds the
// lease and publishes; the other waits. A crash between the publish and the mark is simulated
// by publishing unsent rows by hand first: the relay sends them again, and JetStream drops the
// copies by their message id. Then the holder stops and the other takes over.
func TestRelay_TwoRelaysNeverPublishAnEventTwice(t *testing.T) {
	db := testenv.MySQL(t)
	ns := testenv.StartNATSServer(t)
	emit(t, db, 0, 50)

	// A relay that died after publishing the first 30 rows and before marking them.
	nc, err := nats.Connect(ns.URL)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = js.CreateStream(ctx, jetstream.StreamConfig{Name: stream, Subjects: []string{"skillrecord.>"}, Duplicates: 10 * time.Minute})
	require.NoError(t, err)
	unsent, err := db.Outbox().Unsent(ctx, 0, 30)
	require.NoError(t, err)
	for _, e := range unsent {
		body, _ := json.Marshal(e)
		_, err := js.PublishMsg(ctx, &nats.Msg{Subject: e.Subject(), Data: body}, jetstream.WithMsgID(e.ID))
		require.NoError(t, err)
	}

	stopFirst := start(t, db, ns.URL, 600*time.Millisecond)
	drained(t, db)
	start(t, db, ns.URL, 600*time.Millisecond) // waits for the lease
	emit(t, db, 50, 50)
	drained(t, db)
	stopFirst() // releases the lease: the second relay takes over
	emit(t, db, 100, 50)
	emit(t, db, 150, 50)
	drained(t, db)

	got := streamed(t, ns.URL)
	sameAsFeed(t, got, feed(t, db))
	ids := map[string]bool{}
	for _, m := range got {
		assert.False(t, ids[m.MsgID], "event %s published once", m.MsgID)
		ids[m.MsgID] = true
	}
	assert.Len(t, ids, 200)
}

// TestRelay_RestartInsideABundlePublishesEachEventOnce stores bundles (runs of one kind share
// an outbox row) between rows of one event, lets a relay with small rounds stop in the middle
// of a bundle — its acknowledged part published, the row not yet marked sent — and starts
// another: the stream holds every event once, in outbox order, each its own message.
func TestRelay_RestartInsideABundlePublishesEachEventOnce(t *testing.T) {
	db := testenv.MySQL(t)
	ns := testenv.StartNATSServer(t)
	emit(t, db, 0, 1)
	emit(t, db, 1, 400) // bundles
	emit(t, db, 401, 1)
	emit(t, db, 402, 250)

	ctx, cancel := context.WithCancel(context.Background())
	var sent sync.WaitGroup
	sent.Add(1)
	var once sync.Once
	total := 0
	r := &relay.Relay{URL: ns.URL, Stream: stream, Outbox: db.Outbox(), Leases: leases{db}, Log: testenv.Logger(t),
		Poll: 20 * time.Millisecond, LeaseTTL: 600 * time.Millisecond, AckWait: 2 * time.Second, Batch: 37,
		Published: func(n int) {
			total += n
			if total >= 150 {
				once.Do(func() { cancel(); sent.Done() })
			}
		}}
	done := make(chan struct{})
	go func() { defer close(done); _ = r.Run(ctx) }()
	sent.Wait()
	<-done
	n, err := db.Outbox().CountUnsent(context.Background())
	require.NoError(t, err)
	require.Greater(t, n, int64(0), "the relay stopped before the end")
	require.Less(t, int(n), 652)
	published := len(streamed(t, ns.URL))
	assert.GreaterOrEqual(t, published, 652-int(n), "what is marked sent was published")

	start(t, db, ns.URL, 600*time.Millisecond)
	drained(t, db)
	got := streamed(t, ns.URL)
	want := feed(t, db)
	require.Len(t, want, 652)
	sameAsFeed(t, got, want)
}

// TestRelay_ACrashInsideABundleLeavesItUnsent simulates a relay that died after JetStream
// acknowledged the first 100 events of a bundle of 400 and after marking them (the outbox
// marks the row only with its last event): the row stays unsent, the next relay publishes all
// of it again, and JetStream drops the 100 copies by their message ids.
func TestRelay_ACrashInsideABundleLeavesItUnsent(t *testing.T) {
	db := testenv.MySQL(t)
	ns := testenv.StartNATSServer(t)
	emit(t, db, 0, 1)
	emit(t, db, 1, 300)
	ctx := context.Background()
	nc, err := nats.Connect(ns.URL)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	_, err = js.CreateStream(ctx, jetstream.StreamConfig{Name: stream, Subjects: []string{"skillrecord.>"}, Duplicates: 10 * time.Minute})
	require.NoError(t, err)
	unsent, err := db.Outbox().Unsent(ctx, 0, 101)
	require.NoError(t, err)
	require.Len(t, unsent, 101)
	require.Equal(t, event.RowOf(unsent[1].Seq), event.RowOf(unsent[100].Seq), "one bundle")
	for _, e := range unsent {
		body, _ := json.Marshal(e)
		_, err := js.PublishMsg(ctx, &nats.Msg{Subject: e.Subject(), Data: body}, jetstream.WithMsgID(e.ID))
		require.NoError(t, err)
	}
	require.NoError(t, db.Outbox().MarkSent(ctx, unsent[0].Seq, unsent[100].Seq, time.Now()))
	n, err := db.Outbox().CountUnsent(ctx)
	require.NoError(t, err)
	require.Greater(t, n, int64(100), "the bundle is not marked sent with part of it")

	start(t, db, ns.URL, 600*time.Millisecond)
	emit(t, db, 301, 50)
	drained(t, db)
	got := streamed(t, ns.URL)
	require.Len(t, got, 351)
	sameAsFeed(t, got, feed(t, db))
}
