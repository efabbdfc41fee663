package httpapi

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// uploadRouter serves the batch route and an ordinary one behind bodyLimit; the batch
// handler reads its body, says it started, and holds its slot until release is closed.
func uploadRouter(limits Limits, started chan<- struct{}, release <-chan struct{}) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	v1 := r.Group("/api/v1", bodyLimit(slog.New(slog.DiscardHandler), limits))
	v1.POST("/trainings/batch", func(c *gin.Context) {
		_, _ = io.ReadAll(c.Request.Body)
		started <- struct{}{}
		<-release
		c.Status(http.StatusOK)
	})
	v1.POST("/trainings", func(c *gin.Context) { c.Status(http.StatusCreated) })
	return r
}

func post(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", path, strings.NewReader(`{"records":[]}`)))
	return rec
}

func TestBatchUploads_OverTheLimitWaitThen503WithRetryAfter(t *testing.T) {
	started, release := make(chan struct{}, 4), make(chan struct{})
	h := uploadRouter(Limits{MaxBody: 1 << 20, MaxBatchBody: 10 << 20, MaxBatchUploads: 2, BatchUploadWait: 200 * time.Millisecond}, started, release)

	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = post(h, "/api/v1/trainings/batch").Code }()
	}
	<-started
	<-started // both slots taken

	begin := time.Now()
	rec := post(h, "/api/v1/trainings/batch")
	assert.GreaterOrEqual(t, time.Since(begin), 200*time.Millisecond, "the third upload waited for a slot first")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "5", rec.Header().Get("Retry-After"))
	var p Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, "unavailable", p.Code)

	assert.Equal(t, http.StatusCreated, post(h, "/api/v1/trainings").Code, "ordinary routes take no slot")

	close(release)
	wg.Wait()
	assert.Equal(t, []int{http.StatusOK, http.StatusOK}, codes)
	assert.Equal(t, http.StatusOK, post(h, "/api/v1/trainings/batch").Code, "the slots are given back")
}

func TestBatchUploads_AWaitingUploadGetsTheSlotThatFrees(t *testing.T) {
	started, release := make(chan struct{}, 4), make(chan struct{})
	h := uploadRouter(Limits{MaxBody: 1 << 20, MaxBatchBody: 10 << 20, MaxBatchUploads: 1, BatchUploadWait: 5 * time.Second}, started, release)

	first := make(chan int)
	go func() { first <- post(h, "/api/v1/trainings/batch").Code }()
	<-started
	second := make(chan int)
	go func() { second <- post(h, "/api/v1/trainings/batch").Code }()
	select {
	case <-started:
		t.Fatal("the second upload started while the only slot was taken")
	case <-time.After(100 * time.Millisecond):
	}
	release <- struct{}{} // the first one answers and frees its slot
	assert.Equal(t, http.StatusOK, <-first)
	<-started
	close(release)
	assert.Equal(t, http.StatusOK, <-second)
}
