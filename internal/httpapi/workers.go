package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/worker"
)

// WorkerActivator activates worker accounts against the registry (package worker's Service).
type WorkerActivator interface {
	Activate(ctx context.Context, in worker.ActivateInput, now time.Time) (worker.Activation, error)
}

type activateRequest struct {
	SSN        string `json:"ssn"`
	Name       string `json:"name"`
	CardNumber string `json:"card_number"`
	Password   string `json:"password"`
}

type activateResponse struct {
	WorkerID string `json:"worker_id"`
}

// activateWorker serves POST /workers/activate: {ssn, name, card_number, password} must match
// the registry and the current card; 201 {worker_id}. Every kind of mismatch answers the same
// 422 registry_mismatch.
func activateWorker(log *slog.Logger, svc WorkerActivator, limit *Throttling, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		// Guessing a registry entry (name and card for an SSN) costs failed attempts, and
		// failed attempts from one address are limited like failed sign-ins.
		key := auth.ThrottleKey{Key: "activate-ip:" + c.ClientIP()}
		if limit != nil {
			key.Limit = limit.PerIP
			if wait := limit.Throttle.Check(c.Request.Context(), key); wait > 0 {
				respondError(c, log, errs.RateLimited("too_many_attempts", wait, "too many failed activations; try again later"))
				return
			}
		}
		var req activateRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		a, err := svc.Activate(c.Request.Context(), worker.ActivateInput(req), now())
		if err != nil {
			if limit != nil && errs.CodeOf(err) == "registry_mismatch" {
				limit.Throttle.Fail(c.Request.Context(), key)
			}
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, activateResponse{WorkerID: a.WorkerID})
	}
}
