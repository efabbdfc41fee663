package httpapi_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/identity"
)

// credential fetches the worker's credential of certificate no and requires 200.
func (w *shareWorld) credential(t *testing.T, no string) string {
	t.Helper()
	res := w.As(w.workerTok).Do("GET", "/api/v1/me/certificates/"+no+"/credential", nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	var body struct {
		Credential string `json:"credential"`
	}
	res.JSON(t, &body)
	require.NotEmpty(t, body.Credential)
	return body.Credential
}

type credentialCheck struct {
	Valid  bool           `json:"valid"`
	Status string         `json:"status"`
	Reason string         `json:"reason"`
	Claims map[string]any `json:"claims"`
}

// check posts a credential to the public verify endpoint, without a token.
func (w *shareWorld) check(t *testing.T, raw string) credentialCheck {
	t.Helper()
	res := w.As("").Do("POST", "/api/v1/verify/credential", map[string]string{"credential": raw})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	var c credentialCheck
	res.JSON(t, &c)
	return c
}

// TestCredential_VerifiesOfflineWithOnlyTheJWKS checks a credential the way an outside verifier
// would: the JWKS document from the service, go-jose (which the service does not use), and
// nothing else.
func TestCredential_VerifiesOfflineWithOnlyTheJWKS(t *testing.T) {
	w := newShareWorld(t)
	w.issueCert(t, "VC-2026-000001", w.cstDay(400))
	raw := w.credential(t, "vc-2026-000001")
	assert.NotContains(t, raw, w.worker.SSN)
	assert.NotContains(t, w.Logs.String(), raw, "the credential is not logged")

	res := w.As("").Do("GET", "/.well-known/jwks.json", nil)
	require.Equal(t, http.StatusOK, res.Status)
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal(res.Body, &set))

	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.EdDSA})
	require.NoError(t, err)
	require.Len(t, jws.Signatures, 1)
	header := jws.Signatures[0].Protected
	assert.Equal(t, "EdDSA", header.Algorithm)
	found := set.Key(header.KeyID)
	require.Len(t, found, 1, "the kid is published")
	assert.Equal(t, w.Keys.Signing.ID, header.KeyID, "signed with the current key")
	_, isEd25519 := found[0].Key.(ed25519.PublicKey)
	require.True(t, isEd25519)
	payload, err := jws.Verify(found[0])
	require.NoError(t, err, "the signature holds with the published key")

	var claims struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Iat int64  `json:"iat"`
		Nbf int64  `json:"nbf"`
		Exp int64  `json:"exp"`
		Jti string `json:"jti"`
		VC  struct {
			Context           []string `json:"@context"`
			ID                string   `json:"id"`
			Type              []string `json:"type"`
			Issuer            struct{ ID, Name string }
			ValidFrom         string `json:"validFrom"`
			ValidUntil        string `json:"validUntil"`
			CredentialSubject struct {
				Name        string `json:"name"`
				SSNMasked   string `json:"ssnMasked"`
				Certificate struct {
					No             string `json:"certificateNo"`
					Type           string `json:"certificateType"`
					OccupationCode string `json:"occupationCode"`
					OccupationName string `json:"occupationName"`
					Level          int    `json:"level"`
					IssuedOn       string `json:"issuedOn"`
					ValidUntil     string `json:"validUntil"`
					IssuerOrgID    string `json:"issuerOrgId"`
				} `json:"certificate"`
			} `json:"credentialSubject"`
			CredentialStatus struct{ ID, Type string } `json:"credentialStatus"`
		} `json:"vc"`
	}
	require.NoError(t, json.Unmarshal(payload, &claims))
	base := w.Config.BaseURL()
	assert.Equal(t, base, claims.Iss)
	assert.Equal(t, "VC-2026-000001", claims.Sub, "the subject is the certificate number")
	assert.NotEmpty(t, claims.Jti)
	now := w.Now().Unix()
	assert.InDelta(t, now, claims.Iat, 5)
	assert.LessOrEqual(t, claims.Nbf, claims.Iat)
	assert.Greater(t, claims.Exp, now)

	vc := claims.VC
	assert.Equal(t, []string{"https://www.w3.org/ns/credentials/v2"}, vc.Context)
	assert.Equal(t, []string{"VerifiableCredential", "SkillCertificateCredential"}, vc.Type)
	assert.Equal(t, "urn:uuid:"+claims.Jti, vc.ID)
	assert.Equal(t, base, vc.Issuer.ID)
	assert.NotEmpty(t, vc.Issuer.Name)
	assert.Equal(t, w.cstDay(-30)+"T00:00:00+08:00", vc.ValidFrom)
	assert.Equal(t, w.cstDay(400)+"T23:59:59+08:00", vc.ValidUntil)
	subject := vc.CredentialSubject
	assert.Equal(t, w.worker.Name, subject.Name, "the holder's name in full")
	assert.Equal(t, identity.MaskSSN(w.worker.SSN), subject.SSNMasked)
	assert.Equal(t, "VC-2026-000001", subject.Certificate.No)
	assert.Equal(t, "skill_level", subject.Certificate.Type)
	assert.Equal(t, "6-18-01-01", subject.Certificate.OccupationCode)
	assert.Equal(t, "焊工", subject.Certificate.OccupationName)
	assert.Equal(t, 3, subject.Certificate.Level)
	assert.Equal(t, w.cstDay(-30), subject.Certificate.IssuedOn)
	assert.Equal(t, w.cstDay(400), subject.Certificate.ValidUntil)
	assert.Equal(t, w.evalID, subject.Certificate.IssuerOrgID)
	assert.Equal(t, base+"/api/v1/verify/credential", vc.CredentialStatus.ID)
	assert.Equal(t, "SkillRecordStatusCheck", vc.CredentialStatus.Type)

	// A changed payload does not verify offline either.
	parts := strings.Split(raw, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"level":3`, `"level":1`, 1))) + "." + parts[2]
	jws, err = jose.ParseSignedCompact(tampered, []jose.SignatureAlgorithm{jose.EdDSA})
	require.NoError(t, err)
	_, err = jws.Verify(found[0])
	assert.Error(t, err)
}

func TestCredential_OnlyTheHolderGetsIt(t *testing.T) {
	w := newShareWorld(t)
	w.issueCert(t, "VC-2026-000002", "")
	_, _, other := w.WorkerToken(t, w.admin)
	res := w.As(other).Do("GET", "/api/v1/me/certificates/VC-2026-000002/credential", nil)
	require.Equal(t, http.StatusNotFound, res.Status)
	unknown := w.As(other).Do("GET", "/api/v1/me/certificates/VC-2026-999999/credential", nil)
	assert.Equal(t, problemWithoutRequestID(t, unknown), problemWithoutRequestID(t, res), "another's certificate is like none")
	assert.Equal(t, http.StatusForbidden, w.As(w.employer).Do("GET", "/api/v1/me/certificates/VC-2026-000002/credential", nil).Status)
}

func TestVerifyCredential_ValidThenRevoked(t *testing.T) {
	w := newShareWorld(t)
	w.issueCert(t, "VC-2026-000003", "")
	raw := w.credential(t, "VC-2026-000003")

	c := w.check(t, raw)
	assert.True(t, c.Valid)
	assert.Equal(t, "valid", c.Status)
	assert.Empty(t, c.Reason)
	require.NotNil(t, c.Claims)
	assert.Equal(t, "VC-2026-000003", c.Claims["sub"])

	events := w.accessEvents(t)
	require.Len(t, events, 1, "a status check reveals the worker's certificate status")
	assert.Equal(t, access.WhatCredentialStatus, events[0].What)
	assert.Equal(t, "VC-2026-000003", events[0].Why)
	assert.Equal(t, "anonymous", events[0].ActorRole, "the check is public: nobody signed in")

	res := w.As(w.eval).Do("POST", "/api/v1/certificates/VC-2026-000003/revoke", map[string]string{"reason": "证书信息有误"})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)

	c = w.check(t, raw)
	assert.False(t, c.Valid)
	assert.Equal(t, "revoked", c.Status, "the revocation shows at once")
	assert.Equal(t, "revoked", c.Reason)

	res = w.As(w.workerTok).Do("GET", "/api/v1/me/certificates/VC-2026-000003/credential", nil)
	assert.Equal(t, http.StatusConflict, res.Status, "a revoked certificate gets no new credential")
	assert.Equal(t, "certificate_revoked", res.Map(t)["code"])
}

func TestVerifyCredential_ExpiredCertificate(t *testing.T) {
	w := newShareWorld(t)
	w.issueCert(t, "VC-2026-000004", w.cstDay(1))
	raw := w.credential(t, "VC-2026-000004")
	require.True(t, w.check(t, raw).Valid)

	w.advance(t, 3*24*time.Hour)
	c := w.check(t, raw)
	assert.False(t, c.Valid)
	assert.Equal(t, "expired", c.Status)
	assert.Equal(t, "expired", c.Reason)

	res := w.As(w.workerTok).Do("GET", "/api/v1/me/certificates/VC-2026-000004/credential", nil)
	assert.Equal(t, http.StatusConflict, res.Status)
	assert.Equal(t, "certificate_expired", res.Map(t)["code"])
}

func TestVerifyCredential_TamperedOrForeignIsInvalid(t *testing.T) {
	w := newShareWorld(t)
	w.issueCert(t, "VC-2026-000005", "")
	raw := w.credential(t, "VC-2026-000005")
	parts := strings.Split(raw, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	forged := strings.Replace(string(payload), `"name":"`+w.worker.Name+`"`, `"name":"张三丰"`, 1)
	require.NotEqual(t, string(payload), forged)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(forged)) + "." + parts[2]

	c := w.check(t, tampered)
	assert.Equal(t, credentialCheck{Valid: false, Status: "unknown", Reason: "invalid_signature"}, c, "no claims of an untrusted credential")

	// An access token is signed with the same key but is not a credential.
	c = w.check(t, w.workerTok)
	assert.False(t, c.Valid)
	assert.Equal(t, "invalid_claims", c.Reason)

	c = w.check(t, "not a jwt")
	assert.Equal(t, "malformed", c.Reason)
	assert.Empty(t, w.accessEvents(t), "checks that reveal nothing are not access events")

	res := w.As("").Do("POST", "/api/v1/verify/credential", `{"credential":`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, res.Status, "malformed JSON is still a bad request")
	res = w.As("").Do("POST", "/api/v1/verify/credential", map[string]string{"credential": ""})
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	res = w.As("").Do("POST", "/api/v1/verify/credential", map[string]any{"credential": raw, "extra": true})
	assert.Equal(t, http.StatusBadRequest, res.Status)
}
