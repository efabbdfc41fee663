package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/cache"
	"skillrecord/internal/testenv"
)

// The verification benchmarks send POST /verify/certificates through the whole router (token
// check and access log included) on MariaDB and Redis, 16 requests in flight per core as a
// loaded server would have them. BenchmarkVerifyBaseline is the yardstick of docs/operators.md, gin
// serving one go-redis GET, measured in the same run and the same way:
//
//	go test -run '^$' -bench 'Verify' -benchtime 3s ./internal/httpapi/

// benchVerifier sets up one certificate and returns the handler, the request body and the
// employer's bearer header.
func benchVerifier(b *testing.B) (*certWorld, []byte, string) {
	w := newCertWorld(b)
	w.issue(b, certBody(w.holder, "BENCH-000001", "skill_level", 3))
	body := []byte(fmt.Sprintf(`{"certificate_no":"BENCH-000001","name":%q}`, w.holder.Name))
	return w, body, "Bearer " + w.employer
}

func serveVerify(h http.Handler, body []byte, bearer string) int {
	req := httptest.NewRequest(http.MethodPost, verifyPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", bearer)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// BenchmarkVerifyCached is a verification answered from the sealed cache: one MGET for the
// facts and the token checks, no SQL read, and the access event committed before the answer
// (group commit: the requests in flight share one multi-row insert). It reports its rate as a
// ratio of the bare stack's (gin + one go-redis GET) measured in the same run, the same way;
// the design asks for at least 0.7.
func BenchmarkVerifyCached(b *testing.B) {
	w, body, bearer := benchVerifier(b)
	h := w.Handler()
	if code := serveVerify(h, body, bearer); code != http.StatusOK {
		b.Fatalf("warm-up answered %d", code)
	}
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if code := serveVerify(h, body, bearer); code != http.StatusOK {
				b.Errorf("answered %d", code)
				return
			}
		}
	})
	b.StopTimer()
	reportRatio(b, true, processCPU(b)-cpu)
}

// reportRatio measures the bare stack (gin + one go-redis GET) for as many requests as b
// just made, the same way (parallel: 16 goroutines a core, as b.RunParallel with
// SetParallelism(16); else one at a time), and reports its time per request over b's: the
// share of the bare stack's rate that b reaches (1 = as fast), from the same run. cpu is the
// CPU time this process spent on b's requests: it also reports the CPU time per request of
// both (cpu-µs/op, bare-cpu-µs/op), which a shared machine's load moves less than the time.
func reportRatio(b *testing.B, parallel bool, cpu time.Duration) {
	b.Helper()
	own := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	cpu0 := processCPU(b)
	bare := bareStack(b)
	serve := func() {
		rec := httptest.NewRecorder()
		bare.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/baseline", nil))
		if rec.Code != http.StatusOK {
			b.Errorf("bare stack answered %d", rec.Code)
		}
	}
	start := time.Now()
	if parallel {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range 16 * runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(b.N) {
					serve()
				}
			}()
		}
		wg.Wait()
	} else {
		for range b.N {
			serve()
		}
	}
	base := float64(time.Since(start).Nanoseconds()) / float64(b.N)
	bareCPU := processCPU(b) - cpu0
	b.ReportMetric(base/own, "x-baseline")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64(bareCPU.Microseconds())/float64(b.N), "bare-cpu-µs/op")
}

// processCPU is the CPU time (user and system) this process has used so far.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bareStack is gin serving one go-redis GET of a small JSON value at /baseline: the yardstick
// of docs/performance.md.
func bareStack(b *testing.B) http.Handler {
	b.Helper()
	c, err := cache.Open(context.Background(), cache.Config{Addrs: []string{testenv.RedisAddr(b)}, KeyPrefix: testenv.KeyPrefix(b)}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	key := c.Key("baseline")
	if err := c.Client().Set(context.Background(), key, `{"status":"valid"}`, time.Minute).Err(); err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/baseline", func(ctx *gin.Context) {
		v, err := c.Client().Get(ctx.Request.Context(), key).Bytes()
		if err != nil {
			ctx.Status(http.StatusInternalServerError)
			return
		}
		ctx.Data(http.StatusOK, "application/json", v)
	})
	return r
}

// BenchmarkVerifyUncached is a verification whose cache entry was dropped just before: the
// MGET misses, MariaDB answers (one query joining the issuer), and the sealed facts are
// stored. Dropping the entry is outside the timer.
func BenchmarkVerifyUncached(b *testing.B) {
	w, body, bearer := benchVerifier(b)
	h := w.Handler()
	ctx := context.Background()
	key := w.Cache.Key("{certverify:BENCH-000001}")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if err := w.Cache.Client().Del(ctx, key).Err(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if code := serveVerify(h, body, bearer); code != http.StatusOK {
			b.Fatalf("answered %d", code)
		}
	}
}

// BenchmarkVerifyBaseline is gin serving one go-redis GET of a small JSON value, measured like
// BenchmarkVerifyCached.
func BenchmarkVerifyBaseline(b *testing.B) {
	r := bareStack(b)
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/baseline", nil))
			if rec.Code != http.StatusOK {
				b.Errorf("answered %d", rec.Code)
				return
			}
		}
	})
}
