package cache

import (
	"context"
	"testing"
	"time"
)

// BenchmarkLoaderGetHit measures a cached read against the real Redis: one MGET and a
// JSON decode.
func BenchmarkLoaderGetHit(b *testing.B) {
	c, _ := openReal(b)
	l := NewLoader[summary](c, "bench", time.Minute)
	ctx := context.Background()
	load := func(context.Context) (summary, error) { return summary{ID: "w1", Credits: 12}, nil }
	if _, err := l.Get(ctx, "w1", load); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := l.Get(ctx, "w1", load); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	if got := counter(c, "bench", ResultMiss); got != 1 {
		b.Errorf("misses = %v, want 1", got)
	}
}

// BenchmarkRawGet is the baseline for BenchmarkLoaderGetHit: one plain GET through the
// same client, without breaker, timeout context or decoding.
func BenchmarkRawGet(b *testing.B) {
	c, _ := openReal(b)
	ctx := context.Background()
	key := c.Key("raw")
	if err := c.Client().Set(ctx, key, `{"id":"w1","credits":12}`, time.Minute).Err(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := c.Client().Get(ctx, key).Err(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
