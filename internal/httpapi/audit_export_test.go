package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/audit"
)

// WithAuditTrail returns h (a handler built by New) with AuditTrail in front of every
// request, as if it sat first on the /api/v1 group, for the tests until routes.go installs it
// there; once it does, the inner installation records and this one steps aside.
//
// The outer engine hands each request to h's engine with HandleContext, so that AuditTrail
// sees the route, the principal and the status h left in the context. h's engine resets the
// context's writer on the way in, so the problem code is captured one level further out.
func WithAuditTrail(h http.Handler, log *slog.Logger, events audit.Appender, now func() time.Time) http.Handler {
	inner := h.(*gin.Engine)
	outer := gin.New()
	outer.ContextWithFallback = true
	outer.Use(AuditTrail(log, events, now))
	outer.NoRoute(func(c *gin.Context) { inner.HandleContext(c) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		outer.ServeHTTP(&httpProblemWriter{ResponseWriter: w}, r)
	})
}

// httpProblemWriter is problemWriter for a plain http.ResponseWriter.
type httpProblemWriter struct {
	http.ResponseWriter
	body []byte
}

func (w *httpProblemWriter) Write(b []byte) (int, error) {
	if strings.HasPrefix(w.Header().Get("Content-Type"), ProblemContentType) && len(w.body) < maxProblemCapture {
		w.body = append(w.body, b[:min(len(b), maxProblemCapture-len(w.body))]...)
	}
	return w.ResponseWriter.Write(b)
}

func (w *httpProblemWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *httpProblemWriter) problemBody() []byte { return w.body }

// AuditActions exposes the action table to the external tests.
func AuditActions() map[string]string { return auditActions }

// ActionOf exposes the action word of a route.
func ActionOf(method, route string) string { return actionOf(method, route) }

// TargetOf exposes how path parameters become an event's target.
func TargetOf(params gin.Params) string { return targetOf(params) }
