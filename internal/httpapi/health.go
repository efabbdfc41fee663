package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// Pinger is a dependency whose reachability readiness reports.
type Pinger interface {
	Ping(ctx context.Context) error
}

// healthz answers while the process serves HTTP at all.
func healthz() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
	}
}

// readiness is the body of /readyz.
type readiness struct {
	Status string            `json:"status"` // ok | degraded | unavailable | draining
	Checks map[string]string `json:"checks"` // dependency -> up | down
}

// readyz requires the database; a Redis outage makes the service degraded but still ready,
// since every request can be served from the database. A draining instance is not ready,
// whatever its dependencies say.
func readyz(log *slog.Logger, db, cache Pinger, drain *Drain) gin.HandlerFunc {
	return func(c *gin.Context) {
		if drain.Draining() {
			c.Header("Cache-Control", "no-store")
			c.Header("Retry-After", strconv.Itoa(int(unavailableRetryAfter.Seconds())))
			c.JSON(http.StatusServiceUnavailable, readiness{Status: "draining", Checks: map[string]string{}})
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		r := readiness{Status: "ok", Checks: map[string]string{"database": "up", "cache": "up"}}
		status := http.StatusOK
		if err := db.Ping(ctx); err != nil {
			log.WarnContext(ctx, "readiness: database down", "error", err.Error())
			r.Checks["database"], r.Status, status = "down", "unavailable", http.StatusServiceUnavailable
		}
		if err := cache.Ping(ctx); err != nil {
			log.WarnContext(ctx, "readiness: cache down, serving from the database", "error", err.Error())
			r.Checks["cache"] = "down"
			if r.Status == "ok" {
				r.Status = "degraded"
			}
		}
		c.Header("Cache-Control", "no-store")
		if status == http.StatusServiceUnavailable {
			c.Header("Retry-After", strconv.Itoa(int(unavailableRetryAfter.Seconds())))
		}
		c.JSON(status, r)
	}
}
