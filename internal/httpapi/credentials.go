package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/credential"
	"skillrecord/internal/errs"
)

// CredentialService issues and checks signed credentials (package credential's Service).
type CredentialService interface {
	Issue(ctx context.Context, workerID, no string) (string, error)
	Verify(ctx context.Context, who credential.Checker, raw string) (credential.Result, error)
}

type credentialJSON struct {
	Credential string `json:"credential"`
}

// credentialCheckJSON is a check's answer: claims only once the signature has held.
type credentialCheckJSON struct {
	Valid  bool               `json:"valid"`
	Status string             `json:"status"`
	Reason string             `json:"reason,omitempty"`
	Claims *credential.Claims `json:"claims,omitempty"`
}

// getCredential serves GET /me/certificates/{no}/credential: the holder's signed credential.
func getCredential(log *slog.Logger, svc CredentialService) gin.HandlerFunc {
	return func(c *gin.Context) {
		jwt, err := svc.Issue(c.Request.Context(), principalOf(c).ID, c.Param("no"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, credentialJSON{Credential: jwt})
	}
}

// verifyCredential serves POST /verify/credential {credential} to anyone: 200 with the check's
// outcome whatever it is (a bad signature is an answer, not a bad request); a body that is
// not the request is 400, a missing credential 422.
func verifyCredential(log *slog.Logger, svc CredentialService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req credentialJSON
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		raw := strings.TrimSpace(req.Credential)
		if raw == "" {
			respondError(c, log, errs.Invalid("required", "credential is required").
				WithFields(errs.Field("credential", "required", "credential is required")))
			return
		}
		p := principalOf(c)
		res, err := svc.Verify(c.Request.Context(), credential.Checker{ID: p.ID, Role: string(p.Role), OrgID: p.OrgID, RequestID: requestIDOf(c)}, raw)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		noteVerification(c, validOr(res.Valid, res.Reason))
		c.JSON(http.StatusOK, credentialCheckJSON{Valid: res.Valid, Status: res.Status, Reason: res.Reason, Claims: res.Claims})
	}
}
