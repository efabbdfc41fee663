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
func activateWorker(log *slog.Logger, svc WorkerActivator, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		if svc == nil {
			respondError(c, log, errs.Unavailable("unavailable", "worker activation is not configured"))
			return
		}
		var req activateRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		a, err := svc.Activate(c.Request.Context(), worker.ActivateInput(req), now())
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, activateResponse{WorkerID: a.WorkerID})
	}
}
