package relay_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/testenv"
)

// BenchmarkRelay_Throughput measures how many outbox events a second the relay publishes to
// JetStream and marks sent (MariaDB and a nats-server of its own), beside the bare stack in
// the same run: JetStream async publishes with message ids of the same bodies, no database.
func BenchmarkRelay_Throughput(b *testing.B) {
	const events = 20_000
	db := testenv.MySQL(b)
	ns := testenv.StartNATSServer(b)

	b.Run("bare_jetstream", func(b *testing.B) {
		nc, err := nats.Connect(ns.URL)
		require.NoError(b, err)
		defer nc.Close()
		js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(2000))
		require.NoError(b, err)
		ctx := context.Background()
		_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "BARE", Subjects: []string{"bare.>"}, Duplicates: 10 * time.Minute})
		require.NoError(b, err)
		body := []byte(`{"id":"0190a1b2-0000-7000-8000-000000000001","kind":"credits.posted","at":"2026-12-06T20:00:00Z","worker_ref":"w1","subject_id":"s-000001","data":{"n":1}}`)
		b.ResetTimer()
		n := 0
		for range b.N {
			for i := 0; i < events; i += 1000 {
				futures := make([]jetstream.PubAckFuture, 0, 1000)
				for j := range 1000 {
					n++
					f, err := js.PublishMsgAsync(&nats.Msg{Subject: "bare.credits.posted", Data: body}, jetstream.WithMsgID(fmt.Sprint("bare-", n, "-", j)))
					require.NoError(b, err)
					futures = append(futures, f)
				}
				for _, f := range futures {
					select {
					case <-f.Ok():
					case err := <-f.Err():
						b.Fatal(err)
					}
				}
			}
		}
		b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
	})

	b.Run("relay", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			for i := 0; i < events; i += 1000 {
				emit(b, db, i, 1000)
			}
			b.StartTimer()
			stop := start(b, db, ns.URL, 3*time.Second)
			drained(b, db)
			b.StopTimer()
			stop()
			b.StartTimer()
		}
		b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
	})
}
