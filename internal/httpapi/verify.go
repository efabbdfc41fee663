package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/identity"
)

// CertificateVerifier answers certificate verifications (package certificate's Service).
type CertificateVerifier interface {
	Verify(ctx context.Context, no, name string) (certificate.View, error)
}

type verifyRequest struct {
	CertificateNo string `json:"certificate_no"`
	Name          string `json:"name"`
}

type issuerJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// verificationJSON is what a verifier may see of a certificate (docs/domain.md): status, type,
// occupation, level, dates, issuer and the holder's name masked. Nothing else: no SSN.
type verificationJSON struct {
	No               string      `json:"certificate_no"`
	Status           string      `json:"status"`
	Type             string      `json:"type"`
	OccupationCode   string      `json:"occupation_code"`
	OccupationName   string      `json:"occupation_name"`
	Level            *int        `json:"level,omitempty"`
	IssuedOn         civil.Date  `json:"issued_on"`
	ValidUntil       *civil.Date `json:"valid_until,omitempty"`
	Issuer           issuerJSON  `json:"issuer"`
	HolderNameMasked string      `json:"holder_name_masked"`
}

// toVerificationJSON converts a verification answer; the holder's name is masked here, once.
func toVerificationJSON(v certificate.View) verificationJSON {
	return verificationJSON{
		No: v.No, Status: v.Status, Type: v.Type, OccupationCode: v.OccupationCode, OccupationName: v.OccupationName,
		Level: v.Level, IssuedOn: v.IssuedOn, ValidUntil: v.ValidUntil,
		Issuer:           issuerJSON{ID: v.IssuerOrgID, Name: v.IssuerName},
		HolderNameMasked: identity.MaskName(v.HolderName),
	}
}

// verifyCertificate serves POST /verify/certificates {certificate_no, name}: 200 with the
// view, or 404 not_found alike for an unknown number and a wrong name. Neither the number nor
// the name travels in the URL.
func verifyCertificate(log *slog.Logger, svc CertificateVerifier) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req verifyRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		v, err := svc.Verify(c.Request.Context(), req.CertificateNo, req.Name)
		if err != nil {
			respondError(c, log, missed(c, err)) // a miss spends the caller's quota (quota.go)
			return
		}
		c.Header("Cache-Control", "no-store")
		noteVerification(c, v.Status)
		c.JSON(http.StatusOK, toVerificationJSON(v))
	}
}
