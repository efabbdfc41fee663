package credential_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/credential"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/worker"
)

const (
	base   = "https://record.example.gov.cn"
	holder = "0190a1b2-0000-7000-8000-0000000000a1"
)

var holderSSN = identity.MakeSSN("370402", time.Date(1988, 8, 8, 0, 0, 0, 0, time.UTC), 7)

type certs map[string]certificate.Record

func (c certs) Get(_ context.Context, no string) (certificate.Record, error) {
	if r, ok := c[no]; ok {
		return r, nil
	}
	return certificate.Record{}, errs.NotFound("not_found", "no such certificate")
}

type workers struct{}

func (workers) WorkerByID(_ context.Context, id string) (worker.Worker, error) {
	return worker.Worker{ID: id, SSN: holderSSN, Name: "欧阳娜娜"}, nil
}

type recorder struct{ events []access.Event }

func (r *recorder) RecordAccess(_ context.Context, e access.Event) error {
	r.events = append(r.events, e)
	return nil
}

func secret(t *testing.T) string {
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(b)
}

type fixture struct {
	svc   *credential.Service
	certs certs
	rec   *recorder
	now   *time.Time
	keys  *keys.Material
}

func newFixture(t *testing.T, previous ...string) fixture {
	m, err := keys.Load(keys.Settings{DataKey: secret(t), IndexKey: secret(t), SigningKey: secret(t), PreviousSigningKeys: previous}, "", slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC) // 10:00 CST
	level := 3
	until := civil.Date{Y: 2027, M: 6, D: 30}
	cs := certs{
		"ZZ-2026-000123": {WorkerID: holder, Certificate: certificate.Certificate{
			No: "ZZ-2026-000123", Name: "欧阳娜娜", Type: certificate.TypeSkillLevel, OccupationCode: "6-18-01-01",
			OccupationName: "焊工", Level: &level, IssuedOn: civil.Date{Y: 2026, M: 6, D: 30}, ValidUntil: &until,
			Status: certificate.StatusValid, IssuerOrgID: "0190a1b2-0000-7000-8000-0000000000c1",
		}},
		"ZZ-2026-000124": {WorkerID: holder, Certificate: certificate.Certificate{
			No: "ZZ-2026-000124", Name: "欧阳娜娜", Type: certificate.TypeSpecialAbility, OccupationCode: "4-01-02-01",
			OccupationName: "茶艺", IssuedOn: civil.Date{Y: 2025, M: 1, D: 2}, Status: certificate.StatusValid,
			IssuerOrgID: "0190a1b2-0000-7000-8000-0000000000c1",
		}},
	}
	rec := &recorder{}
	svc := &credential.Service{Keys: m, Certificates: cs, Workers: workers{}, Access: rec, BaseURL: base,
		IssuerName: "枣庄市人力资源和社会保障局", Now: func() time.Time { return now }}
	return fixture{svc: svc, certs: cs, rec: rec, now: &now, keys: m}
}

func TestIssue_ShapeAndClaims(t *testing.T) {
	f := newFixture(t)
	raw, err := f.svc.Issue(context.Background(), holder, "zz-2026-000123")
	require.NoError(t, err)

	parts := strings.Split(raw, ".")
	require.Len(t, parts, 3)
	var header map[string]any
	decode(t, parts[0], &header)
	assert.Equal(t, "EdDSA", header["alg"])
	assert.Equal(t, f.keys.Signing.ID, header["kid"])

	var payload map[string]any
	decode(t, parts[1], &payload)
	assert.Equal(t, base, payload["iss"])
	assert.Equal(t, "ZZ-2026-000123", payload["sub"], "the subject is the certificate number, never the SSN")
	assert.NotContains(t, raw, string(holderSSN))
	for _, k := range []string{"iat", "nbf", "exp", "jti"} {
		assert.Contains(t, payload, k)
	}
	assert.NotContains(t, payload, "aud")
	// exp: the end of 2027-06-30 in CST, before a year from now.
	assert.EqualValues(t, time.Date(2027, 7, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600)).Unix(), payload["exp"])

	vc := payload["vc"].(map[string]any)
	assert.Equal(t, []any{"https://www.w3.org/ns/credentials/v2"}, vc["@context"])
	assert.Equal(t, []any{"VerifiableCredential", "SkillCertificateCredential"}, vc["type"])
	assert.Equal(t, "urn:uuid:"+payload["jti"].(string), vc["id"])
	assert.Equal(t, map[string]any{"id": base, "name": "枣庄市人力资源和社会保障局"}, vc["issuer"])
	assert.Equal(t, "2026-06-30T00:00:00+08:00", vc["validFrom"])
	assert.Equal(t, "2027-06-30T23:59:59+08:00", vc["validUntil"])
	assert.Equal(t, map[string]any{"id": base + "/api/v1/verify/credential", "type": "SkillRecordStatusCheck"}, vc["credentialStatus"])
	subject := vc["credentialSubject"].(map[string]any)
	assert.Equal(t, "欧阳娜娜", subject["name"])
	assert.Equal(t, identity.MaskSSN(string(holderSSN)), subject["ssnMasked"])
	assert.Equal(t, map[string]any{
		"type": "SkillCertificate", "certificateNo": "ZZ-2026-000123", "certificateType": "skill_level",
		"occupationCode": "6-18-01-01", "occupationName": "焊工", "level": float64(3), "issuedOn": "2026-06-30",
		"validUntil": "2027-06-30", "issuerOrgId": "0190a1b2-0000-7000-8000-0000000000c1",
	}, subject["certificate"])
}

func TestIssue_WithoutValidUntilLastsAYear(t *testing.T) {
	f := newFixture(t)
	raw, err := f.svc.Issue(context.Background(), holder, "ZZ-2026-000124")
	require.NoError(t, err)
	var payload map[string]any
	decode(t, strings.Split(raw, ".")[1], &payload)
	assert.EqualValues(t, f.now.Add(credential.DefaultLifetime).Unix(), payload["exp"])
	assert.NotContains(t, payload["vc"].(map[string]any), "validUntil")
}

func TestIssue_OnlyTheHolderAndOnlyWhileValid(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, no := range []string{"ZZ-2026-999999", "no!", ""} {
		_, err := f.svc.Issue(ctx, holder, no)
		assert.Equal(t, errs.KindNotFound, errs.KindOf(err), no)
	}
	_, err := f.svc.Issue(ctx, "0190a1b2-0000-7000-8000-0000000000a2", "ZZ-2026-000123")
	assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "another worker's certificate is not found")

	*f.now = time.Date(2027, 6, 30, 15, 59, 0, 0, time.UTC) // 23:59 CST on the last valid day
	_, err = f.svc.Issue(ctx, holder, "ZZ-2026-000123")
	require.NoError(t, err)
	*f.now = time.Date(2027, 6, 30, 16, 0, 0, 0, time.UTC)
	_, err = f.svc.Issue(ctx, holder, "ZZ-2026-000123")
	assert.Equal(t, "certificate_expired", errs.CodeOf(err))

	r := f.certs["ZZ-2026-000124"]
	r.Status = certificate.StatusRevoked
	f.certs["ZZ-2026-000124"] = r
	_, err = f.svc.Issue(ctx, holder, "ZZ-2026-000124")
	assert.Equal(t, "certificate_revoked", errs.CodeOf(err))
}

func TestVerify_Outcomes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	raw, err := f.svc.Issue(ctx, holder, "ZZ-2026-000123")
	require.NoError(t, err)
	who := credential.Checker{RequestID: "req-000001"}

	res, err := f.svc.Verify(ctx, who, raw)
	require.NoError(t, err)
	assert.True(t, res.Valid)
	assert.Equal(t, "valid", res.Status)
	assert.Empty(t, res.Reason)
	require.NotNil(t, res.Claims)
	assert.Equal(t, "ZZ-2026-000123", res.Claims.Subject)
	require.Len(t, f.rec.events, 1, "a check that reveals the status is an access event")
	assert.Equal(t, access.Event{WorkerID: holder, ActorID: "anonymous", ActorRole: "anonymous", What: access.WhatCredentialStatus,
		Why: "ZZ-2026-000123", RequestID: "req-000001", At: f.rec.events[0].At}, f.rec.events[0])

	parts := strings.Split(raw, ".")
	var payload map[string]any
	decode(t, parts[1], &payload)
	payload["vc"].(map[string]any)["credentialSubject"].(map[string]any)["name"] = "张三"
	forged := parts[0] + "." + encode(t, payload) + "." + parts[2]
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sig[0] ^= 1
	flipped := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)

	// Signed by someone else's key with the service's kid; HS256 and none with the same kid.
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims(payload))
	tok.Header["kid"] = f.keys.Signing.ID
	strange, err := tok.SignedString(other)
	require.NoError(t, err)
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims(payload))
	hs.Header["kid"] = f.keys.Signing.ID
	hmac, err := hs.SignedString([]byte(f.keys.Signing.Public))
	require.NoError(t, err)
	none := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims(payload))
	unsigned, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	unknownKid := strings.Replace(raw, parts[0], encode(t, map[string]any{"alg": "EdDSA", "kid": "nope", "typ": "JWT"}), 1)

	for name, bad := range map[string]string{
		"changed name": forged, "flipped signature bit": flipped, "another key": strange,
		"HS256 with the public key": hmac, "alg none": unsigned, "unknown kid": unknownKid,
	} {
		res, err := f.svc.Verify(ctx, who, bad)
		require.NoError(t, err, name)
		assert.Equal(t, credential.Result{Status: "unknown", Reason: "invalid_signature"}, res, name)
	}
	for _, bad := range []string{"x", "a.b.c", strings.Repeat("a", 20000)} {
		res, err := f.svc.Verify(ctx, who, bad)
		require.NoError(t, err)
		assert.Equal(t, credential.Result{Status: "unknown", Reason: "malformed"}, res)
	}
	assert.Len(t, f.rec.events, 1, "a check that reveals nothing is not an access event")
}

func TestVerify_AnAccessTokenIsNotACredential(t *testing.T) {
	f := newFixture(t)
	now := *f.now
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims{
		"iss": base, "sub": "ZZ-2026-000123", "aud": "skillrecord", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"jti": "0190a1b2-0000-7000-8000-000000000001", "role": "worker",
	})
	tok.Header["kid"] = f.keys.Signing.ID
	raw, err := tok.SignedString(f.keys.Signing.Private)
	require.NoError(t, err)
	res, err := f.svc.Verify(context.Background(), credential.Checker{}, raw)
	require.NoError(t, err)
	assert.Equal(t, credential.Result{Status: "unknown", Reason: "invalid_claims"}, res)
}

func TestVerify_CurrentStatusWins(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	raw, err := f.svc.Issue(ctx, holder, "ZZ-2026-000123")
	require.NoError(t, err)

	r := f.certs["ZZ-2026-000123"]
	at := *f.now
	r.Status, r.RevokedAt = certificate.StatusRevoked, &at
	f.certs["ZZ-2026-000123"] = r
	res, err := f.svc.Verify(ctx, credential.Checker{}, raw)
	require.NoError(t, err)
	assert.False(t, res.Valid)
	assert.Equal(t, "revoked", res.Status)
	assert.Equal(t, "revoked", res.Reason)
	assert.NotNil(t, res.Claims)

	r.Status, r.RevokedAt = certificate.StatusValid, nil
	f.certs["ZZ-2026-000123"] = r
	*f.now = time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC) // 08:00 CST the day after the last valid day
	res, err = f.svc.Verify(ctx, credential.Checker{}, raw)
	require.NoError(t, err)
	assert.Equal(t, credential.Result{Status: "expired", Reason: "expired", Claims: res.Claims}, res)
	assert.NotNil(t, res.Claims)
}

func TestVerify_ExpiredCredentialOfAValidCertificate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	raw, err := f.svc.Issue(ctx, holder, "ZZ-2026-000124")
	require.NoError(t, err)
	*f.now = f.now.Add(credential.DefaultLifetime + time.Minute)
	res, err := f.svc.Verify(ctx, credential.Checker{}, raw)
	require.NoError(t, err)
	assert.False(t, res.Valid)
	assert.Equal(t, "valid", res.Status, "the certificate is still valid")
	assert.Equal(t, "credential_expired", res.Reason)
}

func TestVerify_APreviousKeyStillVerifies(t *testing.T) {
	old := newFixture(t)
	raw, err := old.svc.Issue(context.Background(), holder, "ZZ-2026-000123")
	require.NoError(t, err)

	rotated := newFixture(t, base64.StdEncoding.EncodeToString(old.keys.Signing.Private.Seed()))
	res, err := rotated.svc.Verify(context.Background(), credential.Checker{}, raw)
	require.NoError(t, err)
	assert.True(t, res.Valid, res.Reason)

	fresh := newFixture(t)
	res, err = fresh.svc.Verify(context.Background(), credential.Checker{}, raw)
	require.NoError(t, err)
	assert.Equal(t, "invalid_signature", res.Reason, "a key that is no longer listed does not verify")
}

func decode(t *testing.T, part string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

func encode(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return base64.RawURLEncoding.EncodeToString(b)
}
