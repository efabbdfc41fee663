package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
)

const (
	requestIDHeader = "X-Request-ID"
	requestIDKey    = "request_id"
)

// safeRequestID reports whether an incoming request id may be adopted: 8 to 64 of
// A-Z a-z 0-9 . _ -.
func safeRequestID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// requestIDHeaderKey is requestIDHeader in the canonical form of http.Header's keys.
var requestIDHeaderKey = http.CanonicalHeaderKey(requestIDHeader)

// requestID adopts a well-formed incoming X-Request-ID or makes one, and echoes it. A new id
// is 24 hex digits from the runtime's ChaCha8 generator (seeded by the system): unique, not a
// secret, and drawn without a system call.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(requestIDHeader)
		if !safeRequestID(id) {
			var b [24]byte
			hi, lo := rand.Uint64(), rand.Uint32() //nolint:gosec // a correlation id, not a secret; ChaCha8 seeded by the system
			for i := 15; i >= 0; i-- {
				b[i], hi = hexDigits[hi&0xf], hi>>4
			}
			for i := 23; i >= 16; i-- {
				b[i], lo = hexDigits[lo&0xf], lo>>4
			}
			id = string(b[:])
		}
		c.Set(requestIDKey, id)
		c.Writer.Header()[requestIDHeaderKey] = []string{id}
		c.Next()
	}
}

func requestIDOf(c *gin.Context) string { return c.GetString(requestIDKey) }

// routeOf is the matched route template (never the raw path), or "unmatched".
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// accessLog writes one JSON line per request: the route template, never the raw path, query
// string, body or headers, so no SSN, name or token can reach the log. A 5xx is logged at
// ERROR to log, anything else at INFO to requests, or, when lines is set, as the same line
// built by hand (requestLine) to lines when requests is enabled at INFO.
func accessLog(log, requests *slog.Logger, lines io.Writer) gin.HandlerFunc {
	if lines != nil && !requests.Enabled(context.Background(), slog.LevelInfo) {
		lines = io.Discard
	}
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		if lines != nil && status < 500 {
			if lines == io.Discard {
				return
			}
			now := time.Now()
			l := requestLine{at: now, requestID: requestIDOf(c), method: c.Request.Method, route: routeOf(c),
				status: status, duration: now.Sub(start), bytesOut: max(c.Writer.Size(), 0), clientIP: c.ClientIP()}
			if p, ok := c.Get(principalLogKey); ok {
				l.principal, _ = p.(string)
			}
			_ = l.writeTo(lines)
			return
		}
		level, to := slog.LevelInfo, requests.Handler()
		if status >= 500 {
			level, to = slog.LevelError, log.Handler()
		}
		ctx := c.Request.Context()
		if !to.Enabled(ctx, level) {
			return
		}
		// The record is handed to the handler directly: through Logger.LogAttrs it would also
		// capture the caller's program counter, which no handler here prints.
		now := time.Now()
		r := slog.NewRecord(now, level, "request", 0)
		r.AddAttrs(
			slog.String("request_id", requestIDOf(c)),
			slog.String("method", c.Request.Method),
			slog.String("route", routeOf(c)),
			slog.Int("status", status),
			slog.Float64("duration_ms", float64(now.Sub(start).Microseconds())/1000),
			slog.Int("bytes_out", max(c.Writer.Size(), 0)),
			slog.String("client_ip", c.ClientIP()),
		)
		if p, ok := c.Get(principalLogKey); ok {
			r.AddAttrs(slog.Any("principal", p))
		}
		_ = to.Handle(ctx, r)
	}
}

// principalLogKey is where authentication leaves the opaque principal id for the access log.
const principalLogKey = "log_principal"

// recovery turns a panic into a problem+json 500 and logs it with its stack.
func recovery(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(rec) // the client went away; let net/http handle it
			}
			log.ErrorContext(c.Request.Context(), "panic serving request",
				"request_id", requestIDOf(c), "route", routeOf(c),
				"panic", fmt.Sprintf("%T", rec), "stack", string(debug.Stack()))
			if c.Writer.Written() {
				c.Abort()
				return
			}
			respondError(c, log, errs.Internal(fmt.Errorf("panic: %T", rec), "panic"))
		}()
		c.Next()
	}
}

// batchRoutes take the larger batch body limit.
var batchRoutes = map[string]bool{
	"POST /api/v1/trainings/batch":          true,
	"POST /api/v1/admin/cardholders/import": true,
	"POST /api/v1/admin/employment/import":  true,
}

// batchUploadWait is how long a batch request waits for one of Limits.MaxBatchUploads when
// Limits.BatchUploadWait does not say.
const batchUploadWait = 5 * time.Second

// bodyLimit caps the request body (batch routes at the batch limit): a declared Content-Length
// over it is refused at once with 413, and a body that turns out longer fails when it is read.
//
// A batch route also takes one of Limits.MaxBatchUploads slots for the whole request (its body
// and what is parsed from it stay in memory until the answer), so that at most that many batch
// bodies are held at once. A request that finds none free waits, with its body still unread,
// up to Limits.BatchUploadWait, and is then refused with 503 unavailable and Retry-After.
func bodyLimit(log *slog.Logger, limits Limits) gin.HandlerFunc {
	var slots chan struct{}
	if limits.MaxBatchUploads > 0 {
		slots = make(chan struct{}, limits.MaxBatchUploads)
	}
	wait := limits.BatchUploadWait
	if wait <= 0 {
		wait = batchUploadWait
	}
	return func(c *gin.Context) {
		limit := limits.MaxBody
		batch := batchRoutes[c.Request.Method+" "+c.FullPath()]
		if batch {
			limit = limits.MaxBatchBody
		}
		if c.Request.ContentLength > limit {
			respondError(c, log, errs.TooLarge("body_too_large", "the request body is over %s bytes", strconv.FormatInt(limit, 10)))
			return
		}
		if batch && slots != nil {
			if !takeSlot(c, slots, wait) {
				respondError(c, log, errs.Unavailable("unavailable", "too many batch uploads are in progress; try again shortly"))
				return
			}
			defer func() { <-slots }()
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody { // nothing to read: nothing to cap
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

// takeSlot takes a free slot, waiting up to wait (or until the request is given up).
func takeSlot(c *gin.Context, slots chan struct{}, wait time.Duration) bool {
	select {
	case slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-c.Request.Context().Done():
		return false
	}
}
