package credential

import (
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
)

// The fixed parts of every credential.
const (
	ContextV2      = "https://www.w3.org/ns/credentials/v2"
	TypeVC         = "VerifiableCredential"
	TypeSkill      = "SkillCertificateCredential"
	StatusType     = "SkillRecordStatusCheck"
	VerifyPath     = "/api/v1/verify/credential"
	idPrefix       = "urn:uuid:"
	subjectType    = "SkillCertificateHolder"
	certificateTyp = "SkillCertificate"
)

// Claims are a credential's JWT claims: the registered ones (iss = the bureau's base URL,
// sub = the certificate number, iat, nbf, exp, jti) and the credential itself in vc.
type Claims struct {
	jwt.RegisteredClaims
	VC VC `json:"vc"`
}

// VC is a W3C Verifiable Credential (Data Model 2.0) of one certificate.
type VC struct {
	Context           []string  `json:"@context"`
	ID                string    `json:"id"` // urn:uuid:<jti>
	Type              []string  `json:"type"`
	Issuer            Issuer    `json:"issuer"`
	ValidFrom         string    `json:"validFrom"`            // the issue date, 00:00 China Standard Time
	ValidUntil        string    `json:"validUntil,omitempty"` // the last valid day, 23:59:59 CST
	CredentialSubject Subject   `json:"credentialSubject"`
	CredentialStatus  StatusRef `json:"credentialStatus"`
}

// Issuer is the bureau that signs credentials.
type Issuer struct {
	ID   string `json:"id"` // the public base URL
	Name string `json:"name"`
}

// Subject is the holder and the certificate they hold.
type Subject struct {
	Type        string      `json:"type"`
	Name        string      `json:"name"`      // in full: the holder asked for the credential
	SSNMasked   string      `json:"ssnMasked"` // 110105********002X
	Certificate Certificate `json:"certificate"`
}

// Certificate is the certificate's facts as the credential states them.
type Certificate struct {
	Type           string `json:"type"` // SkillCertificate
	No             string `json:"certificateNo"`
	CertType       string `json:"certificateType"` // skill_level, vocational_qualification, ...
	OccupationCode string `json:"occupationCode"`
	OccupationName string `json:"occupationName"`
	Level          *int   `json:"level,omitempty"`
	IssuedOn       string `json:"issuedOn"`             // YYYY-MM-DD
	ValidUntil     string `json:"validUntil,omitempty"` // YYYY-MM-DD
	IssuerOrgID    string `json:"issuerOrgId"`
}

// StatusRef says where the certificate's current status is checked.
type StatusRef struct {
	ID   string `json:"id"` // <base>/api/v1/verify/credential
	Type string `json:"type"`
}

// bureauZone is the bureau's calendar: dates begin and end in China Standard Time.
var bureauZone = time.FixedZone("CST", 8*60*60)

// startOf is 00:00 CST of day d.
func startOf(d civil.Date) time.Time { return time.Date(d.Y, d.M, d.D, 0, 0, 0, 0, bureauZone) }

// endOf is the first instant after day d in CST: a certificate valid until d expires then.
func endOf(d civil.Date) time.Time { return startOf(d).AddDate(0, 0, 1) }

// newVC builds the credential of rec for the holder, with id jti.
func newVC(rec certificate.Record, holderName, ssnMasked, baseURL, issuerName, jti string) VC {
	vc := VC{
		Context:   []string{ContextV2},
		ID:        idPrefix + jti,
		Type:      []string{TypeVC, TypeSkill},
		Issuer:    Issuer{ID: baseURL, Name: issuerName},
		ValidFrom: startOf(rec.IssuedOn).Format(time.RFC3339),
		CredentialSubject: Subject{
			Type: subjectType, Name: holderName, SSNMasked: ssnMasked,
			Certificate: Certificate{
				Type: certificateTyp, No: rec.No, CertType: rec.Type, OccupationCode: rec.OccupationCode,
				OccupationName: rec.OccupationName, Level: rec.Level, IssuedOn: rec.IssuedOn.String(), IssuerOrgID: rec.IssuerOrgID,
			},
		},
		CredentialStatus: StatusRef{ID: baseURL + VerifyPath, Type: StatusType},
	}
	if rec.ValidUntil != nil {
		vc.ValidUntil = endOf(*rec.ValidUntil).Add(-time.Second).Format(time.RFC3339)
		vc.CredentialSubject.Certificate.ValidUntil = rec.ValidUntil.String()
	}
	return vc
}

// wellShaped reports whether c is a credential of this service: the VC 2.0 context and both
// types, the issuer, a jti that is the credential id, and a subject that is the certificate
// the vc names. An access token (also signed with the service's key) fails here.
func (c *Claims) wellShaped(baseURL string) bool {
	vc := c.VC
	return len(vc.Context) > 0 && vc.Context[0] == ContextV2 &&
		slices.Contains(vc.Type, TypeVC) && slices.Contains(vc.Type, TypeSkill) &&
		vc.Issuer.ID == baseURL && c.Issuer == baseURL &&
		c.ID != "" && vc.ID == idPrefix+c.ID &&
		len(c.Audience) == 0 &&
		c.Subject != "" && vc.CredentialSubject.Certificate.No == c.Subject &&
		vc.CredentialStatus.Type == StatusType
}
