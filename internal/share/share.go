package share

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"time"

	"skillrecord/internal/errs"
)

// Scopes: what a share lets its reader see.
const (
	ScopeRecord       = "record"       // the worker's record summary (as in GET /me/record)
	ScopeCertificates = "certificates" // only the worker's certificates
)

// Statuses of a share as its worker sees it. Revoked wins over expired.
const (
	StatusActive  = "active"
	StatusExpired = "expired"
	StatusRevoked = "revoked"
)

// Lifetime bounds of a share, in hours: 1 hour to 30 days.
const (
	MinLifetimeHours = 1
	MaxLifetimeHours = 30 * 24
)

// TokenBytes is the token's length before encoding: 256 bits of randomness.
const TokenBytes = 32

// tokenLen is the length of a token's text: TokenBytes in unpadded base64url.
var tokenLen = base64.RawURLEncoding.EncodedLen(TokenBytes)

// Codes of this package's errors and field errors.
const (
	CodeRequired        = "required"
	CodeInvalidScope    = "invalid_scope"
	CodeInvalidLifetime = "invalid_lifetime"
	CodeInvalidAudience = "invalid_audience"
	CodeQuotaExceeded   = "share_quota_exceeded"
)

// QuotaExceeded is the error of a share that would be one more than the worker's quota of
// active shares (409 share_quota_exceeded).
func QuotaExceeded(maxActive int) error {
	return errs.Conflict(CodeQuotaExceeded,
		"you already have %d active shares, the most allowed; revoke one or let one expire first", maxActive)
}

// Share is one consent: who shared, what, with whom and until when. The token itself is never
// kept, only TokenHash.
type Share struct {
	ID            string // UUIDv7, opaque
	WorkerID      string
	TokenHash     []byte // SHA-256 of the token's text
	Scope         string
	AudienceOrgID string // the one organisation that may read it; empty = any employer or college
	ExpiresAt     time.Time
	RevokedAt     *time.Time
	CreatedAt     time.Time
}

// StatusAt is the share's status at now: revoked once revoked, else expired from ExpiresAt
// on, else active.
func (s Share) StatusAt(now time.Time) string {
	switch {
	case s.RevokedAt != nil:
		return StatusRevoked
	case !now.Before(s.ExpiresAt):
		return StatusExpired
	}
	return StatusActive
}

// OpenTo reports whether a reader of organisation orgID may read through the share at now: it
// is active and either unbound or bound to orgID.
func (s Share) OpenTo(orgID string, now time.Time) bool {
	if s.StatusAt(now) != StatusActive {
		return false
	}
	return s.AudienceOrgID == "" || s.AudienceOrgID == orgID
}

// Input is a request for a new share (POST /me/shares). ExpiresInHours is a pointer so that a
// missing lifetime is told apart from a bad one.
type Input struct {
	Scope          string
	ExpiresInHours *int
	AudienceOrgID  string // optional; an employer or a college
}

// Validate checks the scope and the lifetime and reports every bad field. The audience is
// checked by the service, which can look it up.
func (in Input) Validate() []errs.FieldError {
	var fields []errs.FieldError
	switch strings.TrimSpace(in.Scope) {
	case ScopeRecord, ScopeCertificates:
	case "":
		fields = append(fields, errs.Field("scope", CodeRequired, "scope is required"))
	default:
		fields = append(fields, errs.Field("scope", CodeInvalidScope, "scope must be record or certificates"))
	}
	switch {
	case in.ExpiresInHours == nil:
		fields = append(fields, errs.Field("expires_in_hours", CodeRequired, "expires_in_hours is required"))
	case *in.ExpiresInHours < MinLifetimeHours || *in.ExpiresInHours > MaxLifetimeHours:
		fields = append(fields, errs.Field("expires_in_hours", CodeInvalidLifetime,
			fmt.Sprintf("must be a whole number of hours from %d to %d (30 days)", MinLifetimeHours, MaxLifetimeHours)))
	}
	return fields
}

// NewToken returns a fresh token (TokenBytes from r, unpadded base64url) and its hash.
func NewToken(r io.Reader) (token string, hash []byte, err error) {
	b := make([]byte, TokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", nil, errs.Internal(err, "read randomness for a share token")
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken is what the store keeps of a token: SHA-256 of its text.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// WellFormed reports whether token has the shape of a token this package gives out (the
// canonical unpadded base64url text of TokenBytes bytes), so that garbage is refused without
// a database read.
func WellFormed(token string) bool {
	if len(token) != tokenLen {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	return err == nil && len(b) == TokenBytes
}

// randReader is the default source of token randomness.
var randReader io.Reader = rand.Reader
