package credential

import (
	"context"
	"crypto/ed25519"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"skillrecord/internal/access"
	"skillrecord/internal/audit"
	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// KeySet is what credentials are signed and checked with (keys.Material).
type KeySet interface {
	// Current returns the signing key id and private key.
	Current() (kid string, key ed25519.PrivateKey)
	// PublicKey returns the public key with id kid, the current or a previous one.
	PublicKey(kid string) (ed25519.PublicKey, bool)
}

// Certificates reads one certificate by its canonical number, always from the database (a
// revocation must show at once); errs NotFound when there is none. The certificate store.
type Certificates interface {
	Get(ctx context.Context, no string) (certificate.Record, error)
}

// Workers reads the holder (for the SSN, which the certificate store does not keep).
type Workers interface {
	WorkerByID(ctx context.Context, id string) (worker.Worker, error)
}

// DefaultLifetime bounds a credential's exp when its certificate has no valid_until, or a
// later one: a year, after which the holder fetches a fresh credential. Offline checkers cannot
// see revocations, so a credential should not outlive the need for one by much.
const DefaultLifetime = 365 * 24 * time.Hour

// Service issues and checks credentials.
type Service struct {
	Keys         KeySet
	Certificates Certificates
	Workers      Workers
	// Access records every status check that reveals a worker's data; nil records nothing
	// (wire one).
	Access access.Recorder
	// BaseURL is the public base URL: the issuer's id and iss, and the status endpoint's base.
	BaseURL string
	// IssuerName is the bureau's name in the credential.
	IssuerName string
	// Lifetime bounds exp (see DefaultLifetime); zero means DefaultLifetime.
	Lifetime time.Duration
	Now      func() time.Time
}

// Codes of this package's errors.
const (
	CodeCertificateRevoked = "certificate_revoked"
	CodeCertificateExpired = "certificate_expired"
)

func errNoCertificate() error {
	return errs.NotFound("not_found", "you hold no certificate with this number")
}

// today is the bureau's civil date at now.
func today(now time.Time) civil.Date { return civil.DateOf(now.In(bureauZone)) }

// Issue signs the credential of certificate no for its holder workerID. Another worker's
// certificate and an unknown number answer alike (404). A revoked or expired certificate gets
// no credential (409 certificate_revoked / certificate_expired): a credential asserts
// validity, and an offline checker could not see the status.
//
// exp is the end of the certificate's last valid day (China Standard Time) or now + Lifetime,
// whichever comes first; nbf is a minute before iat, for clock skew.
func (s *Service) Issue(ctx context.Context, workerID, no string) (string, error) {
	canonical, err := certificate.ParseNo(no)
	if err != nil {
		return "", errNoCertificate()
	}
	rec, err := s.Certificates.Get(ctx, canonical)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return "", errNoCertificate()
	case err != nil:
		return "", err
	case rec.WorkerID != workerID:
		return "", errNoCertificate()
	}
	now := s.Now().UTC().Truncate(time.Second) // JWT times are whole seconds
	switch certificate.StatusAt(rec.Certificate, today(now)) {
	case certificate.StatusRevoked:
		return "", errs.Conflict(CodeCertificateRevoked, "a revoked certificate has no credential")
	case certificate.StatusExpired:
		return "", errs.Conflict(CodeCertificateExpired, "an expired certificate has no credential")
	}
	audit.Touch(ctx, workerID)
	w, err := s.Workers.WorkerByID(ctx, workerID)
	if err != nil {
		return "", err
	}
	lifetime := s.Lifetime
	if lifetime <= 0 {
		lifetime = DefaultLifetime
	}
	exp := now.Add(lifetime)
	if rec.ValidUntil != nil {
		if end := endOf(*rec.ValidUntil).UTC(); end.Before(exp) {
			exp = end
		}
	}
	jti := uuid.Must(uuid.NewV7()).String()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    s.BaseURL,
			Subject:   rec.No,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        jti,
		},
		VC: newVC(rec, rec.Name, identity.MaskSSN(string(w.SSN)), s.BaseURL, s.IssuerName, jti),
	})
	kid, key := s.Keys.Current()
	tok.Header["kid"] = kid
	signed, err := tok.SignedString(key)
	if err != nil {
		return "", errs.Internal(err, "sign credential")
	}
	return signed, nil
}

// Reasons a check gives for valid: false.
const (
	ReasonMalformed          = "malformed"           // not a JWT
	ReasonInvalidSignature   = "invalid_signature"   // not signed by one of the service's keys with EdDSA
	ReasonInvalidClaims      = "invalid_claims"      // signed by us, but not a credential of this service
	ReasonNotYetValid        = "not_yet_valid"       // nbf or iat in the future
	ReasonCredentialExpired  = "credential_expired"  // exp passed; the certificate may still be valid
	ReasonRevoked            = "revoked"             // the certificate has been revoked
	ReasonExpired            = "expired"             // the certificate has expired
	ReasonUnknownCertificate = "unknown_certificate" // the certificate no longer exists
)

// StatusUnknown is the status of a check that could not trust the credential's claims.
const StatusUnknown = "unknown"

// Result is a check's answer. Claims are set once the signature has been verified.
type Result struct {
	Valid  bool
	Status string // valid, revoked, expired; unknown when the credential could not be trusted
	Reason string
	Claims *Claims
}

// Checker is who asks for a status check: anyone (the route is public), so often nobody known.
type Checker struct {
	ID        string
	Role      string
	OrgID     string
	RequestID string
}

// ActorAnonymous is the actor of a status check by someone who did not sign in (the route is
// public), as the access log names them.
const ActorAnonymous = "anonymous"

// maxCredential bounds the text a check will parse.
const maxCredential = 16 << 10

// Verify checks a credential: the signature (EdDSA only, by kid, current or previous key),
// the claims (issuer, times, shape) and the certificate's current status. Every outcome is a
// Result; only a failure of ours (database, access log) is an error. A check whose signature
// holds reveals the holder's certificate status, so it is recorded as an access event before
// it is answered.
func (s *Service) Verify(ctx context.Context, who Checker, raw string) (Result, error) {
	if raw == "" || len(raw) > maxCredential {
		return Result{Status: StatusUnknown, Reason: ReasonMalformed}, nil
	}
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		key, ok := s.Keys.PublicKey(kid)
		if !ok {
			return nil, errors.New("unknown key id")
		}
		return key, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(s.BaseURL),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.Now),
		jwt.WithLeeway(5*time.Second),
	)
	timeReason := ""
	switch {
	case err == nil:
	case errors.Is(err, jwt.ErrTokenMalformed):
		return Result{Status: StatusUnknown, Reason: ReasonMalformed}, nil
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return Result{Status: StatusUnknown, Reason: ReasonInvalidSignature}, nil
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), errors.Is(err, jwt.ErrTokenRequiredClaimMissing),
		!errors.Is(err, jwt.ErrTokenInvalidClaims):
		return Result{Status: StatusUnknown, Reason: ReasonInvalidClaims}, nil
	case errors.Is(err, jwt.ErrTokenExpired):
		timeReason = ReasonCredentialExpired // the signature held: the claims can be trusted
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		timeReason = ReasonNotYetValid
	default:
		return Result{Status: StatusUnknown, Reason: ReasonInvalidClaims}, nil
	}
	if !c.wellShaped(s.BaseURL) {
		return Result{Status: StatusUnknown, Reason: ReasonInvalidClaims}, nil
	}
	rec, err := s.Certificates.Get(ctx, c.Subject)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return Result{Status: StatusUnknown, Reason: ReasonUnknownCertificate, Claims: &c}, nil
	case err != nil:
		return Result{}, err
	}
	status := certificate.StatusAt(rec.Certificate, today(s.Now()))
	audit.Touch(ctx, rec.WorkerID)
	if s.Access != nil {
		id, role := who.ID, who.Role
		if id == "" || role == "" {
			id, role = ActorAnonymous, ActorAnonymous
		}
		err := s.Access.RecordAccess(ctx, access.Event{
			WorkerID: rec.WorkerID, ActorID: id, ActorRole: role, OrgID: who.OrgID,
			What: access.WhatCredentialStatus, Why: rec.No, RequestID: who.RequestID, At: s.Now().UTC(),
		})
		if err != nil {
			return Result{}, err
		}
	}
	res := Result{Status: status, Claims: &c}
	switch {
	case status == certificate.StatusRevoked:
		res.Reason = ReasonRevoked
	case status == certificate.StatusExpired:
		res.Reason = ReasonExpired
	case timeReason != "":
		res.Reason = timeReason
	default:
		res.Valid = true
	}
	return res, nil
}
