package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// Drain is an instance's draining state. Once started (on SIGTERM) /readyz answers 503, so
// that balancers stop sending new requests, and every answer carries Connection: close, so
// that clients open their next connection elsewhere; meanwhile every request is still served.
// The zero value is not draining; a nil *Drain never drains.
type Drain struct{ on atomic.Bool }

// Start turns draining on.
func (d *Drain) Start() {
	if d != nil {
		d.on.Store(true)
	}
}

// Draining reports whether Start was called.
func (d *Drain) Draining() bool { return d != nil && d.on.Load() }

// closeWhileDraining asks the client to close its connection after each answer of a draining
// instance.
func closeWhileDraining(d *Drain) gin.HandlerFunc {
	return func(c *gin.Context) {
		if d.Draining() {
			c.Header("Connection", "close")
		}
		c.Next()
	}
}

// ServeDraining serves on ln until ctx is cancelled; then it drains for period (see Drain:
// readiness 503, keep-alives off, every request still served), then stops accepting and lets
// in-flight requests finish for up to grace, and returns. Request contexts are not tied to
// ctx, so neither the drain nor the shutdown cancels work already under way.
func ServeDraining(ctx context.Context, srv *http.Server, ln net.Listener, drain *Drain, period, grace time.Duration, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if period > 0 {
		log.Info("draining: readiness answers 503 and connections close after each answer", "period", period.String())
		drain.Start()
		srv.SetKeepAlivesEnabled(false)
		select {
		case <-time.After(period):
		case err := <-errc:
			return fmt.Errorf("serve: %w", err)
		}
	}
	return shutdown(ctx, srv, errc, grace, log)
}
