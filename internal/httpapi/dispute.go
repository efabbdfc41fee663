package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/dispute"
	"skillrecord/internal/page"
)

// DisputeService is the dispute use cases (package dispute's Service).
type DisputeService interface {
	Raise(ctx context.Context, workerID string, in dispute.Input) (dispute.Dispute, error)
	List(ctx context.Context, f dispute.Filter, p page.Request) (page.Result[dispute.Dispute], error)
	Resolve(ctx context.Context, id string, in dispute.ResolveInput) (dispute.Dispute, error)
}

type disputeJSON struct {
	ID            string     `json:"id"`
	Subject       string     `json:"subject"`
	SubjectID     string     `json:"subject_id"`
	InstitutionID string     `json:"institution_id"`
	Reason        string     `json:"reason"`
	Status        string     `json:"status"`
	ResolveReason string     `json:"resolve_reason,omitempty"`
	ResolvedAt    *time.Time `json:"resolved_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

func toDisputeJSON(d dispute.Dispute) disputeJSON {
	return disputeJSON{ID: d.ID, Subject: d.Subject, SubjectID: d.SubjectID, InstitutionID: d.InstitutionID,
		Reason: d.Reason, Status: d.Status, ResolveReason: d.ResolveReason, ResolvedAt: instant(d.ResolvedAt), CreatedAt: d.CreatedAt}
}

// raiseDispute serves POST /me/disputes {subject, id, reason}: 201 with the open dispute.
func raiseDispute(log *slog.Logger, svc DisputeService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in dispute.Input
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		d, err := svc.Raise(c.Request.Context(), principalOf(c).ID, in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusCreated, toDisputeJSON(d))
	}
}

// listDisputes serves the dispute lists: the worker's own (GET /me/disputes), the
// institution's records' (GET /disputes) and every one (GET /admin/disputes?status=).
func listDisputes(log *slog.Logger, svc DisputeService, scope func(c *gin.Context) (dispute.Filter, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := scope(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		f.Status = c.Query("status")
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.List(c.Request.Context(), f, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, toDisputeJSON))
	}
}

func myDisputes(c *gin.Context) (dispute.Filter, error) {
	return dispute.Filter{WorkerID: principalOf(c).ID}, nil
}

func institutionDisputes(c *gin.Context) (dispute.Filter, error) {
	inst, err := institutionOf(c)
	return dispute.Filter{InstitutionID: inst}, err
}

func allDisputes(*gin.Context) (dispute.Filter, error) { return dispute.Filter{}, nil }

// resolveDispute serves POST /admin/disputes/{id}/resolve {upheld, reason}.
func resolveDispute(log *slog.Logger, svc DisputeService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in dispute.ResolveInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		d, err := svc.Resolve(c.Request.Context(), c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toDisputeJSON(d))
	}
}
