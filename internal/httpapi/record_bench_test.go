package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/apitest"
	"skillrecord/internal/cache"
	"skillrecord/internal/testenv"
)

// BenchmarkRecordRead measures GET /me/record through the whole router (token check, deny-list,
// cache) against BenchmarkBaselineRedisGet, gin serving one Redis GET: the design asks for a
// cached read of at least 0.7× the baseline's rate.
func BenchmarkRecordRead(b *testing.B) {
	a := apitest.NewApp(b)
	admin := a.AdminToken(b)
	_, workerID, tok := a.WorkerToken(b, admin)
	h := a.Handler()
	get := func() int {
		req := httptest.NewRequest("GET", "/api/v1/me/record", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := get(); code != http.StatusOK {
		b.Fatalf("warm-up answered %d", code)
	}
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		cpu := processCPU(b)
		for b.Loop() {
			if get() != http.StatusOK {
				b.Fatal("not 200")
			}
		}
		b.StopTimer()
		reportRatio(b, false, processCPU(b)-cpu)
	})
	b.Run("uncached", func(b *testing.B) {
		b.ReportAllocs()
		ctx := context.Background()
		for b.Loop() {
			b.StopTimer()
			a.Records().WorkerChanged(ctx, workerID)
			b.StartTimer()
			if get() != http.StatusOK {
				b.Fatal("not 200")
			}
		}
	})
}

// BenchmarkBaselineRedisGet is gin answering with one go-redis GET: the yardstick of the
// cached reads.
func BenchmarkBaselineRedisGet(b *testing.B) {
	c, err := cache.Open(context.Background(), cache.Config{Addrs: []string{testenv.RedisAddr(b)}, KeyPrefix: testenv.KeyPrefix(b)}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	cl := c.Client()
	key := c.Key("baseline")
	if err := cl.Set(context.Background(), key, `{"ok":true}`, 0).Err(); err != nil {
		b.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/x", func(c *gin.Context) {
		v, err := cl.Get(c.Request.Context(), key).Bytes()
		if err != nil {
			c.Status(500)
			return
		}
		c.Data(200, "application/json", v)
	})
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
		if rec.Code != 200 {
			b.Fatal("not 200")
		}
	}
}
