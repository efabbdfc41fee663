package cache

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
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

// BenchmarkLoaderGetHitBurst is a burst of cached reads of different keys, 16 goroutines a
// core (as many requests checking their tokens at once), each read its own round trip
// (own_trip) or handed to two batching goroutines (batched, Config.ReadBatchers). Besides
// the time it reports the CPU time per read of this process and of the Redis server (from
// INFO CPU), which share the machine's cores:
//
//	go test -run '^$' -bench LoaderGetHitBurst -count 3 ./internal/cache/
func BenchmarkLoaderGetHitBurst(b *testing.B) {
	for _, bc := range []struct {
		name     string
		batchers int
	}{{"own_trip", 0}, {"batched", 2}} {
		b.Run(bc.name, func(b *testing.B) {
			c, _ := openTest(b, Config{Addrs: requireRedis(b), ReadBatchers: bc.batchers})
			l := NewLoader[bool](c, "burst", time.Minute)
			ctx := context.Background()
			const keys = 1000
			for i := range keys {
				if _, err := l.Get(ctx, strconv.Itoa(i), func(context.Context) (bool, error) { return false, nil }); err != nil {
					b.Fatal(err)
				}
			}
			var next atomic.Int64
			fallbacks := func() float64 { return counter(c, "burst", ResultMiss) + counter(c, "burst", ResultError) }
			before, self, server := fallbacks(), processCPU(), redisCPU(b, c)
			b.SetParallelism(16)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					k := strconv.Itoa(int(next.Add(1) % keys))
					if _, err := l.Get(ctx, k, func(context.Context) (bool, error) { return false, nil }); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			b.ReportMetric(float64((processCPU()-self).Microseconds())/float64(b.N), "cpu-µs/op")
			b.ReportMetric(float64((redisCPU(b, c)-server).Microseconds())/float64(b.N), "redis-cpu-µs/op")
			// A read that failed or timed out is answered by the source: count them.
			b.ReportMetric((fallbacks()-before)/float64(b.N), "fallbacks/op")
		})
	}
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// redisCPU is the CPU time the Redis server has used (INFO CPU; the first node's on a
// cluster).
func redisCPU(b *testing.B, c *Cache) time.Duration {
	info, err := c.Client().Info(context.Background(), "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	var total float64
	for line := range strings.SplitSeq(info, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && (k == "used_cpu_sys" || k == "used_cpu_user") {
			f, _ := strconv.ParseFloat(v, 64)
			total += f
		}
	}
	return time.Duration(total * float64(time.Second))
}
