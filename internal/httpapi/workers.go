package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

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
func activateWorker(log *slog.Logger, svc WorkerActivator, limit *activationLimit, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req activateRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		// Guessing a registry entry (name and card for an SSN) costs failed attempts, limited
		// per address and per SSN like failed sign-ins (activate_limit.go).
		at := now()
		keys := limit.keys(c, req.SSN, at)
		if err := limit.check(c, keys); err != nil {
			respondError(c, log, err)
			return
		}
		a, err := svc.Activate(c.Request.Context(), worker.ActivateInput(req), at)
		if err != nil {
			if errs.CodeOf(err) == "registry_mismatch" {
				limit.fail(c, keys)
			}
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, activateResponse{WorkerID: a.WorkerID})
	}
}
