package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/config"
	"skillrecord/internal/relay"
	"skillrecord/internal/sqlstore"
)

// leases adapts the database's leases to the relay.
type leases struct{ db *sqlstore.DB }

func (l leases) AcquireLease(ctx context.Context, name string, ttl time.Duration, now func() time.Time) (relay.Lease, error) {
	lease, err := l.db.AcquireLease(ctx, name, ttl, now)
	if err != nil {
		return nil, err
	}
	return lease, nil
}

// startRelay starts the event relay when events.nats_url is set, and returns the function that
// stops it (waiting for its round in progress); serve calls it after the HTTP drain, so that the
// events of the last requests still go out. Without a URL the events stay in the outbox.
func startRelay(cfg *config.Config, db *sqlstore.DB, reg prometheus.Registerer, log *slog.Logger, now func() time.Time) (stop func()) {
	published := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "skillrecord_events_published_total",
		Help: "Change events this instance's relay published to NATS JetStream and marked sent.",
	})
	reg.MustRegister(published)
	if cfg.Events.NATSURL == "" {
		log.Info("event relay off (events.nats_url empty): events stay in the outbox and the pull feed")
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	r := &relay.Relay{
		URL: cfg.Events.NATSURL, Stream: cfg.Events.NATSStream, Outbox: db.Outbox(), Leases: leases{db}, Log: log, Now: now,
		Published: func(n int) { published.Add(float64(n)) },
	}
	go func() {
		defer close(done)
		if err := r.Run(ctx); err != nil {
			log.Error("event relay stopped", "error", err.Error())
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
