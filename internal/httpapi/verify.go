package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/identity"
	"skillrecord/internal/text"
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
		req, err := verifyRequestOf(c) // parsed once, at authentication (verify_body.go)
		if err != nil {
			respondError(c, log, err)
			return
		}
		v, err := svc.Verify(c.Request.Context(), req.CertificateNo, req.Name)
		if err != nil {
			respondError(c, log, missed(c, err)) // a miss spends the caller's quota (quota.go)
			return
		}
		noteVerification(c, v.Status)
		h := c.Writer.Header()
		h["Cache-Control"] = noStore
		h["Content-Type"] = jsonContentType
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write(appendVerificationJSON(make([]byte, 0, 384), toVerificationJSON(v)))
	}
}

// noStore is the Cache-Control of a verification: an answer about someone's certificate is
// not kept by any cache on the way.
var noStore = []string{"no-store"}

// appendVerificationJSON writes v with the fields, order and omissions of its encoding/json
// form (strings escaped as text.AppendJSON does, without encoding/json's escapes of <, > and
// &, which JSON does not need), by hand: gin's c.JSON took about 4 % of the service's CPU
// under the verification load of 2026-12-07.
func appendVerificationJSON(b []byte, v verificationJSON) []byte {
	b = append(b, `{"certificate_no":`...)
	b = text.AppendJSON(b, v.No)
	b = append(b, `,"status":`...)
	b = text.AppendJSON(b, v.Status)
	b = append(b, `,"type":`...)
	b = text.AppendJSON(b, v.Type)
	b = append(b, `,"occupation_code":`...)
	b = text.AppendJSON(b, v.OccupationCode)
	b = append(b, `,"occupation_name":`...)
	b = text.AppendJSON(b, v.OccupationName)
	if v.Level != nil {
		b = append(b, `,"level":`...)
		b = strconv.AppendInt(b, int64(*v.Level), 10)
	}
	b = append(b, `,"issued_on":`...)
	b = appendDateJSON(b, v.IssuedOn)
	if v.ValidUntil != nil {
		b = append(b, `,"valid_until":`...)
		b = appendDateJSON(b, *v.ValidUntil)
	}
	b = append(b, `,"issuer":{"id":`...)
	b = text.AppendJSON(b, v.Issuer.ID)
	b = append(b, `,"name":`...)
	b = text.AppendJSON(b, v.Issuer.Name)
	b = append(b, `},"holder_name_masked":`...)
	b = text.AppendJSON(b, v.HolderNameMasked)
	return append(b, '}')
}

// appendDateJSON writes d as civil.Date's MarshalJSON does: "YYYY-MM-DD", or null when zero.
func appendDateJSON(b []byte, d civil.Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = append(b, d.String()...)
	return append(b, '"')
}
