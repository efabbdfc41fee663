package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slogLine is the line slog's JSON handler writes for l, as the access log wrote it before.
func slogLine(t *testing.T, l requestLine) string {
	t.Helper()
	var buf bytes.Buffer
	r := slog.NewRecord(l.at, slog.LevelInfo, "request", 0)
	r.AddAttrs(
		slog.String("request_id", l.requestID),
		slog.String("method", l.method),
		slog.String("route", l.route),
		slog.Int("status", l.status),
		slog.Float64("duration_ms", float64(l.duration.Microseconds())/1000),
		slog.Int("bytes_out", l.bytesOut),
		slog.String("client_ip", l.clientIP),
	)
	if l.principal != "" {
		r.AddAttrs(slog.Any("principal", l.principal))
	}
	require.NoError(t, slog.NewJSONHandler(&buf, nil).Handle(context.Background(), r))
	return buf.String()
}

func TestRequestLine_IsTheLineSlogWrites(t *testing.T) {
	at := time.Date(2026, 12, 7, 1, 2, 3, 456789012, time.FixedZone("CST", 8*3600))
	base := requestLine{at: at, requestID: "0123456789abcdef01234567", method: "GET", route: "/api/v1/me/record",
		status: 200, duration: 1234567 * time.Nanosecond, bytesOut: 2048, clientIP: "10.0.0.1", principal: "worker:7b0c"}
	cases := map[string]func(l *requestLine){
		"a worker's read":       func(*requestLine) {},
		"no principal":          func(l *requestLine) { l.principal = "" },
		"utc, whole second":     func(l *requestLine) { l.at = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		"zero duration":         func(l *requestLine) { l.duration = 0 },
		"a microsecond":         func(l *requestLine) { l.duration = time.Microsecond },
		"whole milliseconds":    func(l *requestLine) { l.duration = 25 * time.Millisecond },
		"minutes":               func(l *requestLine) { l.duration = 3*time.Minute + 7*time.Microsecond },
		"no body":               func(l *requestLine) { l.bytesOut, l.status = 0, 304 },
		"ipv6":                  func(l *requestLine) { l.clientIP = "2001:db8::1" },
		"quotes and backslash":  func(l *requestLine) { l.method = `G"E\T` },
		"control characters":    func(l *requestLine) { l.method = "G\x00\x01\n\r\t\x1fT" },
		"html characters":       func(l *requestLine) { l.method = "<a&b>" },
		"invalid utf-8":         func(l *requestLine) { l.method = "G\xffE\xc3T" },
		"line separators":       func(l *requestLine) { l.method = "G\u2028E\u2029T" },
		"non-ascii":             func(l *requestLine) { l.method = "ÄÖ你好" },
		"unmatched 404":         func(l *requestLine) { l.route, l.status = "unmatched", 404 },
		"empty request id":      func(l *requestLine) { l.requestID = "" },
		"principal with quotes": func(l *requestLine) { l.principal = `admin:"x"` },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			l := base
			change(&l)
			var got bytes.Buffer
			require.NoError(t, l.writeTo(&got))
			assert.Equal(t, slogLine(t, l), got.String())
			var m map[string]any
			require.NoError(t, json.Unmarshal(got.Bytes(), &m), "the line is JSON: %s", got.String())
		})
	}
}

func TestAccessLog_HandBuiltLineHasSlogsKeysAndNoPersonalData(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	const ssn, name = "11010519491231002X", "张三"
	var lines, logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	r := gin.New()
	r.Use(requestID(), accessLog(log, log, &lines))
	r.GET("/api/v1/things/:id", func(c *gin.Context) {
		c.Set(principalLogKey, "worker:w-1")
		c.String(http.StatusOK, "ok")
	})
	r.GET("/broken", func(c *gin.Context) { c.Status(http.StatusInternalServerError) })

	req := httptest.NewRequest("GET", "/api/v1/things/"+ssn+"?name="+name+"&ssn="+ssn, strings.NewReader(name))
	req.Header.Set("Authorization", "Bearer token-"+ssn)
	r.ServeHTTP(httptest.NewRecorder(), req)
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/broken", nil))

	assert.NotContains(t, lines.String(), ssn)
	assert.NotContains(t, lines.String(), name)
	assert.NotContains(t, lines.String(), "Bearer")
	var m map[string]any
	require.NoError(t, json.Unmarshal(lines.Bytes(), &m), "one JSON line: %s", lines.String())
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"time", "level", "msg", "request_id", "method", "route", "status",
		"duration_ms", "bytes_out", "client_ip", "principal"}, keys)
	assert.Equal(t, "/api/v1/things/:id", m["route"])
	assert.Equal(t, "worker:w-1", m["principal"])
	assert.EqualValues(t, 200, m["status"])

	// A 5xx still goes to the error log through slog, at ERROR.
	require.NoError(t, json.Unmarshal(logs.Bytes(), &m), "one JSON line: %s", logs.String())
	assert.Equal(t, "ERROR", m["level"])
	assert.Equal(t, "/broken", m["route"])
}

func TestAccessLog_HandBuiltLineFollowsTheLogLevel(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	var lines bytes.Buffer
	warn := slog.New(slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r := gin.New()
	r.Use(requestID(), accessLog(warn, warn, &lines))
	r.GET("/x", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	assert.Empty(t, lines.String(), "no INFO line at level warn")
}
