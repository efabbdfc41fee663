package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/cache"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	handler http.Handler
	logs    *syncBuffer
	db      *sqlstore.DB
	reg     *prometheus.Registry
}

func newFixture(t *testing.T, db *sqlstore.DB, redisAddrs []string) *fixture {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	reg := prometheus.NewRegistry()
	c, err := cache.Open(context.Background(), cache.Config{
		Addrs: redisAddrs, KeyPrefix: testenv.KeyPrefix(t), DialTimeout: 200 * time.Millisecond,
		OpTimeout: 200 * time.Millisecond, BreakerFailures: 3, BreakerCooldown: time.Second,
	}, log, reg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	h, err := httpapi.New(httpapi.Deps{
		Log: log, DB: db, Cache: c, Metrics: reg, Version: "test",
		Limits: httpapi.Limits{MaxBody: 1 << 20, MaxBatchBody: 10 << 20},
	})
	require.NoError(t, err)
	return &fixture{handler: h, logs: logs, db: db, reg: reg}
}

func liveFixture(t *testing.T) *fixture {
	return newFixture(t, testenv.MySQL(t), testenv.RedisAddrs(t))
}

func TestHealthz_AnswersOK(t *testing.T) {
	f := liveFixture(t)
	res := apitest.New(t, f.handler).Do("GET", "/healthz", nil)
	assert.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "ok", res.Map(t)["status"])
}

func TestReadyz_DatabaseAndCacheUp(t *testing.T) {
	f := liveFixture(t)
	res := apitest.New(t, f.handler).Do("GET", "/readyz", nil)
	require.Equal(t, http.StatusOK, res.Status)
	body := res.Map(t)
	assert.Equal(t, "ok", body["status"])
	assert.Equal(t, map[string]any{"database": "up", "cache": "up"}, body["checks"])
}

func TestReadyz_RedisDownIsDegradedButReady(t *testing.T) {
	f := newFixture(t, testenv.MySQL(t), []string{deadAddr(t)})
	res := apitest.New(t, f.handler).Do("GET", "/readyz", nil)
	require.Equal(t, http.StatusOK, res.Status)
	body := res.Map(t)
	assert.Equal(t, "degraded", body["status"])
	assert.Equal(t, map[string]any{"database": "up", "cache": "down"}, body["checks"])
}

func TestReadyz_DatabaseDownIsNotReady(t *testing.T) {
	db := testenv.MySQL(t)
	f := newFixture(t, db, testenv.RedisAddrs(t))
	require.NoError(t, db.Close())
	res := apitest.New(t, f.handler).Do("GET", "/readyz", nil)
	require.Equal(t, http.StatusServiceUnavailable, res.Status)
	body := res.Map(t)
	assert.Equal(t, "unavailable", body["status"])
	assert.Equal(t, "down", body["checks"].(map[string]any)["database"])
}

func TestOpenAPI_IsServed(t *testing.T) {
	f := liveFixture(t)
	res := apitest.New(t, f.handler).Do("GET", "/api/v1/openapi.yaml", nil)
	require.Equal(t, http.StatusOK, res.Status)
	assert.Contains(t, string(res.Body), "openapi: 3.1")
}

func TestUnknownRoute_IsProblemJSON404(t *testing.T) {
	f := liveFixture(t)
	res := apitest.New(t, f.handler).Do("GET", "/api/v1/nope", nil)
	require.Equal(t, http.StatusNotFound, res.Status)
	assert.Equal(t, "not_found", res.Map(t)["code"])
	assert.NotEmpty(t, res.Header.Get("X-Request-ID"))
}

func TestWrongMethod_IsProblemJSON405(t *testing.T) {
	f := liveFixture(t)
	res := apitest.New(t, f.handler).Do("DELETE", "/healthz", nil)
	require.Equal(t, http.StatusMethodNotAllowed, res.Status)
	assert.Equal(t, "method_not_allowed", res.Map(t)["code"])
}

func TestRequestID_WellFormedOneIsEchoedOthersReplaced(t *testing.T) {
	f := liveFixture(t)
	c := apitest.New(t, f.handler)
	res := c.Do("GET", "/healthz", nil, "X-Request-ID", "abc-123-def-456")
	assert.Equal(t, "abc-123-def-456", res.Header.Get("X-Request-ID"))
	res = c.Do("GET", "/healthz", nil, "X-Request-ID", "bad id\nwith newline")
	assert.Regexp(t, `^[0-9a-f]{24}$`, res.Header.Get("X-Request-ID"))
}

func TestAccessLog_RecordsRouteTemplateNeverRawPathOrQuery(t *testing.T) {
	f := liveFixture(t)
	const secret = "11010519491231002X"
	apitest.New(t, f.handler).Do("GET", "/api/v1/nope/"+secret+"?name=张三&ssn="+secret, nil,
		"Authorization", "Bearer token-"+secret)
	apitest.New(t, f.handler).Do("GET", "/healthz?ssn="+secret, nil)
	logs := f.logs.String()
	assert.NotContains(t, logs, secret)
	assert.NotContains(t, logs, "张三")
	assert.NotContains(t, logs, "Bearer")

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), "every log line is JSON: %s", l)
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	require.Len(t, lines, 2)
	assert.Equal(t, "unmatched", lines[0]["route"])
	assert.Equal(t, "/healthz", lines[1]["route"])
	assert.EqualValues(t, 200, lines[1]["status"])
	assert.NotEmpty(t, lines[1]["request_id"])
}

func TestMetrics_CountRequestsByRouteTemplate(t *testing.T) {
	f := liveFixture(t)
	c := apitest.New(t, f.handler)
	c.Do("GET", "/healthz", nil)
	c.Do("GET", "/api/v1/nope/11010519491231002X", nil)
	res := c.Do("GET", "/metrics", nil)
	require.Equal(t, http.StatusOK, res.Status)
	body := string(res.Body)
	assert.Contains(t, body, `skillrecord_http_requests_total{method="GET",route="/healthz",status="200"} 1`)
	assert.Contains(t, body, `skillrecord_http_requests_total{method="GET",route="unmatched",status="404"} 1`)
	assert.Contains(t, body, "skillrecord_http_request_duration_seconds_bucket")
	assert.Contains(t, body, "skillrecord_cache_circuit_open")
	assert.NotContains(t, body, "11010519491231002X")
}

func TestPanic_IsRecoveredAsProblemJSON500(t *testing.T) {
	f := liveFixture(t)
	f.handler.(*gin.Engine).GET("/test-panic", func(*gin.Context) { panic("boom with 11010519491231002X") })
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, httptest.NewRequest("GET", "/test-panic", nil))
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Equal(t, httpapi.ProblemContentType, rec.Header().Get("Content-Type"))
	var p httpapi.Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	assert.Equal(t, "internal", p.Code)
	assert.NotContains(t, rec.Body.String(), "boom")
	assert.Contains(t, f.logs.String(), "panic serving request")
	assert.NotContains(t, f.logs.String(), "11010519491231002X", "the panic value is not logged")
}

func TestBodyLimit_OversizedBodyIs413(t *testing.T) {
	f := liveFixture(t)
	big := bytes.Repeat([]byte("x"), 1<<20+1)
	res := apitest.New(t, f.handler).Do("POST", "/api/v1/nope", big, "Content-Type", "application/json")
	// The route does not exist, so the router answers before any limit applies...
	assert.Equal(t, http.StatusNotFound, res.Status)

	// ...while on a route of the /api/v1 group the declared length is refused up front.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/openapi.yaml", bytes.NewReader(big))
	f.handler.ServeHTTP(rec, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"body_too_large"`)
}

// TestContract_EveryRouteIsInTheSpecAndEverySpecPathHasARoute keeps routes.go and
// api/openapi.yaml in step.
func TestContract_EveryRouteIsInTheSpecAndEverySpecPathHasARoute(t *testing.T) {
	f := liveFixture(t)
	doc, _ := apitest.Spec(t)
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	routes := map[string]bool{}
	for _, r := range f.handler.(*gin.Engine).Routes() {
		routes[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	spec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			spec[method+" "+path] = true
		}
	}
	var missingInSpec, missingRoute []string
	for r := range routes {
		if !spec[r] {
			missingInSpec = append(missingInSpec, r)
		}
	}
	for s := range spec {
		if !routes[s] {
			missingRoute = append(missingRoute, s)
		}
	}
	sort.Strings(missingInSpec)
	sort.Strings(missingRoute)
	assert.Empty(t, missingInSpec, "routes with no operation in api/openapi.yaml")
	assert.Empty(t, missingRoute, "operations in api/openapi.yaml with no route")
}

func TestServe_DrainsInFlightRequestOnShutdown(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		_, _ = io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- httpapi.Serve(ctx, &http.Server{Handler: mux}, ln, 10*time.Second, slog.New(slog.DiscardHandler))
	}()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel() // what SIGTERM does in serve
	time.Sleep(100 * time.Millisecond)
	// New connections are refused while the old request is still being served.
	_, err = net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	assert.Error(t, err, "the listener is closed during the drain")
	close(release)

	r := <-got
	require.NoError(t, r.err)
	assert.Equal(t, "finished", r.body)
	require.NoError(t, <-done)
}

func deadAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}
