package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// CertificateService is the certificate use cases of issuing organisations and workers
// (package certificate's Service).
type CertificateService interface {
	Issue(ctx context.Context, orgID, role string, in certificate.Input) (certificate.Record, error)
	IssueBatch(ctx context.Context, orgID, role string, inputs []certificate.Input, parseErrs ...errs.FieldError) ([]certificate.Result, error)
	Revoke(ctx context.Context, orgID, no, reason string) (certificate.Record, error)
	ListForWorker(ctx context.Context, workerID string, p page.Request) (page.Result[certificate.Record], error)
}

// certificateJSON is a certificate as its issuer and its holder see it: no SSN and no name.
type certificateJSON struct {
	No             string      `json:"certificate_no"`
	Type           string      `json:"type"`
	OccupationCode string      `json:"occupation_code"`
	OccupationName string      `json:"occupation_name"`
	Level          *int        `json:"level,omitempty"`
	IssuedOn       civil.Date  `json:"issued_on"`
	ValidUntil     *civil.Date `json:"valid_until,omitempty"`
	Status         string      `json:"status"`
	IssuerOrgID    string      `json:"issuer_org_id"`
	RevokeReason   string      `json:"revoke_reason,omitempty"`
	RevokedAt      *time.Time  `json:"revoked_at,omitempty"`
	CreatedAt      time.Time   `json:"created_at"`
}

// toCertificateJSON converts r with its status as of today (expired is derived here).
func toCertificateJSON(r certificate.Record, today civil.Date) certificateJSON {
	return certificateJSON{
		No: r.No, Type: r.Type, OccupationCode: r.OccupationCode, OccupationName: r.OccupationName,
		Level: r.Level, IssuedOn: r.IssuedOn, ValidUntil: r.ValidUntil, Status: r.StatusOn(today),
		IssuerOrgID: r.IssuerOrgID, RevokeReason: r.RevokeReason, RevokedAt: r.RevokedAt, CreatedAt: r.CreatedAt,
	}
}

// certificateToday is the bureau's civil date at now: certificates expire at the end of their
// last day in China Standard Time.
func certificateToday(now func() time.Time) civil.Date {
	return civil.DateOf(now().In(certificateZone))
}

var certificateZone = time.FixedZone("CST", 8*60*60)

// issueCertificate serves POST /certificates: 201 with the certificate.
func issueCertificate(log *slog.Logger, svc CertificateService, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in certificate.Input
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		p := principalOf(c)
		rec, err := svc.Issue(c.Request.Context(), p.OrgID, string(p.Role), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, toCertificateJSON(rec, certificateToday(now)))
	}
}

type revokeRequest struct {
	Reason string `json:"reason"`
}

// revokeCertificate serves POST /certificates/{no}/revoke: 200 with the revoked certificate.
func revokeCertificate(log *slog.Logger, svc CertificateService, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req revokeRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		rec, err := svc.Revoke(c.Request.Context(), principalOf(c).OrgID, c.Param("no"), req.Reason)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, toCertificateJSON(rec, certificateToday(now)))
	}
}

// listMyCertificates serves GET /me/certificates: the worker's own certificates, newest
// issue date first, each with its status as of today.
func listMyCertificates(log *slog.Logger, svc CertificateService, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.ListForWorker(c.Request.Context(), principalOf(c).ID, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		today := certificateToday(now)
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, func(r certificate.Record) certificateJSON { return toCertificateJSON(r, today) }))
	}
}
