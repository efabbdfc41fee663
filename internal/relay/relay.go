package relay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
)

// Outbox is what the relay needs of the event outbox.
type Outbox interface {
	// Unsent returns up to limit events not yet marked sent after outbox position after, in
	// outbox order.
	Unsent(ctx context.Context, after int64, limit int) ([]event.Event, error)
	// MarkSent marks the events at outbox positions first…last sent (a range of what Unsent
	// returned, acknowledged). A bundle (an outbox row of several events) counts as sent only
	// once a range reaches its last event: a relay that stops inside one leaves all of it for
	// the next, which publishes it again (JetStream drops the copies by their ids).
	MarkSent(ctx context.Context, first, last int64, at time.Time) error
}

// Lease is a held lease; Release gives it up.
type Lease interface {
	Release(ctx context.Context) error
}

// Leaser takes the relay's lease: an errs Conflict (lease_held) while another instance holds it.
type Leaser interface {
	AcquireLease(ctx context.Context, name string, ttl time.Duration, now func() time.Time) (Lease, error)
}

// LeaseName is the lease the relaying instance holds.
const LeaseName = "event-relay"

// Defaults of a Relay's tuning.
const (
	DefaultBatch    = 1000
	DefaultPoll     = 200 * time.Millisecond
	DefaultLeaseTTL = 15 * time.Second
	DefaultAckWait  = 5 * time.Second
)

// Relay publishes the outbox to a JetStream stream. Set URL, Stream, Outbox, Leases and Log;
// the rest have defaults.
type Relay struct {
	URL      string // NATS server URL(s), comma-separated
	Stream   string // the stream's name; created (subjects skillrecord.>) when missing
	Outbox   Outbox
	Leases   Leaser
	Log      *slog.Logger
	Now      func() time.Time
	Batch    int           // rows per publish round (DefaultBatch)
	Poll     time.Duration // wait when the outbox is empty or NATS fails (DefaultPoll)
	LeaseTTL time.Duration // the lease's time to live (DefaultLeaseTTL); renewed every third
	AckWait  time.Duration // how long a round waits for JetStream's acknowledgements (DefaultAckWait)

	// Published, when set, is called after each batch JetStream acknowledged and the outbox
	// marked sent, with the number of events.
	Published func(n int)
}

// Run relays until ctx ends: it waits for the lease, connects, makes sure the stream exists,
// then publishes batch after batch. It returns nil when ctx ends.
func (r *Relay) Run(ctx context.Context) error {
	r.defaults()
	lease, err := r.acquire(ctx)
	if err != nil {
		return nil //nolint:nilerr // only ctx ending stops acquire
	}
	defer func() { _ = lease.Release(context.WithoutCancel(ctx)) }()
	r.Log.Info("event relay holds the lease", "stream", r.Stream)

	nc, err := nats.Connect(r.URL, nats.Name("skillrecord-relay"), nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond), nats.Timeout(2*time.Second))
	if err != nil {
		return fmt.Errorf("event relay: connect to NATS (events.nats_url): %w", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(r.Batch*2), jetstream.WithPublishAsyncTimeout(r.AckWait))
	if err != nil {
		return fmt.Errorf("event relay: %w", err)
	}
	m := newMarker(ctx, r)
	defer m.close() // the acknowledged rows are marked before the lease is given up
	var after int64 // the last position published and acknowledged under this lease
	ready := false
	for ctx.Err() == nil {
		if !ready {
			if err := r.ensureStream(ctx, js); err != nil {
				r.Log.Warn("event relay: NATS stream not ready; retrying", "error", err.Error())
				sleep(ctx, r.Poll*5)
				continue
			}
			ready = true
		}
		n, err := r.round(ctx, js, m, &after)
		switch {
		case ctx.Err() != nil:
		case err != nil:
			r.Log.Warn("event relay: publish round failed; retrying", "error", err.Error())
			sleep(ctx, r.Poll*5)
		case n == 0:
			sleep(ctx, r.Poll)
		}
	}
	return nil
}

func (r *Relay) defaults() {
	if r.Batch <= 0 {
		r.Batch = DefaultBatch
	}
	if r.Poll <= 0 {
		r.Poll = DefaultPoll
	}
	if r.LeaseTTL <= 0 {
		r.LeaseTTL = DefaultLeaseTTL
	}
	if r.AckWait <= 0 {
		r.AckWait = DefaultAckWait
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
}

// acquire waits until this instance holds the lease, or ctx ends.
func (r *Relay) acquire(ctx context.Context) (Lease, error) {
	for {
		lease, err := r.Leases.AcquireLease(ctx, LeaseName, r.LeaseTTL, r.Now)
		if err == nil {
			return lease, nil
		}
		if errs.CodeOf(err) != "lease_held" {
			r.Log.Warn("event relay: cannot take the lease; retrying", "error", err.Error())
		}
		if !sleep(ctx, r.LeaseTTL/3) {
			return nil, ctx.Err()
		}
	}
}

// ensureStream creates the stream when it is missing.
func (r *Relay) ensureStream(ctx context.Context, js jetstream.JetStream) error {
	ctx, cancel := context.WithTimeout(ctx, r.AckWait)
	defer cancel()
	_, err := js.Stream(ctx, r.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = js.CreateStream(ctx, jetstream.StreamConfig{
			Name: r.Stream, Subjects: []string{event.SubjectPrefix + ">"}, Storage: jetstream.FileStorage,
			Duplicates: 10 * time.Minute,
		})
	}
	return err
}

// round publishes the next batch of unsent events after the position after and hands the
// acknowledged prefix to the marker, which marks it sent while the next batch is published. It
// returns how many were acknowledged.
func (r *Relay) round(ctx context.Context, js jetstream.JetStream, m *marker, after *int64) (int, error) {
	if err := m.failed(); err != nil {
		return 0, err
	}
	events, err := r.Outbox.Unsent(ctx, *after, r.Batch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	futures := make([]jetstream.PubAckFuture, 0, len(events))
	var pubErr error
	for _, e := range events {
		body, err := json.Marshal(e)
		if err != nil {
			return 0, err
		}
		f, err := js.PublishMsgAsync(&nats.Msg{Subject: e.Subject(), Data: body}, jetstream.WithMsgID(e.ID))
		if err != nil {
			pubErr = err
			break
		}
		futures = append(futures, f)
	}
	// Only the acknowledged prefix counts: the outbox order is kept, and what follows the first
	// failure is published again in the next round (JetStream drops the copies).
	acked, ackErr := r.acked(ctx, futures)
	if acked > 0 {
		m.mark(events[0].Seq, events[acked-1].Seq, acked)
		*after = events[acked-1].Seq
	}
	if pubErr == nil && acked < len(futures) {
		pubErr = errors.New("JetStream did not acknowledge every event")
		if ackErr != nil {
			pubErr = fmt.Errorf("JetStream did not acknowledge every event: %w", ackErr)
		}
	}
	return acked, pubErr
}

// acked waits for the futures in order and returns the length of the acknowledged prefix, with
// JetStream's refusal of the first event past it when that is why the prefix ends there.
func (r *Relay) acked(ctx context.Context, futures []jetstream.PubAckFuture) (int, error) {
	timer := time.NewTimer(r.AckWait)
	defer timer.Stop()
	for i, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return i, err
		case <-timer.C:
			return i, nil
		case <-ctx.Done():
			return i, nil
		}
	}
	return len(futures), nil
}

// sleep waits d or until ctx ends; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
