package auth

import (
	"crypto/ed25519"
	"errors"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"skillrecord/internal/errs"
)

// Claims are the access token's claims: the registered ones plus role, organisation and the
// refresh family (session) the token belongs to.
type Claims struct {
	jwt.RegisteredClaims
	Role    Role   `json:"role"`
	OrgID   string `json:"org_id,omitempty"`
	Session string `json:"sid,omitempty"`
	Staff   bool   `json:"stf,omitempty"`
}

// KeySet is what tokens are signed and verified with.
type KeySet interface {
	// Current returns the signing key id and private key.
	Current() (kid string, key ed25519.PrivateKey)
	// PublicKey returns the public key with id kid (the current or a previous one).
	PublicKey(kid string) (ed25519.PublicKey, bool)
}

// Tokens signs and verifies access tokens (JWT, EdDSA/Ed25519). Verified tokens are remembered
// until they expire, so that a token used for many requests is checked once, and so are the
// tokens this instance signs, so that a worker who signs in and checks in at once costs no
// signature check at all; revocation is checked separately on every request.
type Tokens struct {
	Keys     KeySet
	Issuer   string
	Audience string
	TTL      time.Duration
	Now      func() time.Time

	mu       sync.RWMutex // read-locked by every request's lookup, locked to remember a token
	verified map[string]Principal
}

// maxVerified bounds the memory of the verified-token cache.
const maxVerified = 50_000

// Sign issues an access token for p (its TokenID and ExpiresAt are filled in) in session sid.
func (t *Tokens) Sign(p Principal, sid string) (string, Principal, error) {
	now := t.Now().UTC().Truncate(time.Second) // JWT times are whole seconds
	p.TokenID = uuid.Must(uuid.NewV7()).String()
	p.ExpiresAt = now.Add(t.TTL)
	kid, key := t.Keys.Current()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.Issuer,
			Subject:   p.ID,
			Audience:  jwt.ClaimStrings{t.Audience},
			ExpiresAt: jwt.NewNumericDate(p.ExpiresAt),
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ID:        p.TokenID,
		},
		Role: p.Role, OrgID: p.OrgID, Session: sid, Staff: p.Staff,
	})
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		return "", Principal{}, errs.Internal(err, "sign access token")
	}
	if p.ID != "" && knownRole(p.Role) { // what Verify would accept of these claims
		t.remember(s, Principal{ID: p.ID, Role: p.Role, OrgID: p.OrgID, TokenID: p.TokenID, ExpiresAt: p.ExpiresAt,
			session: sid, Staff: p.Staff && p.OrgID != ""})
	}
	return s, p, nil
}

// errInvalidToken is the one answer for every bad token, so that callers learn nothing about
// which check failed.
func errInvalidToken(cause error) error {
	return errs.Unauthenticated("invalid_token", "the access token is invalid or expired").WithCause(cause)
}

// Verify checks a token's signature (EdDSA only, by kid), issuer, audience and expiry, and
// returns its principal.
func (t *Tokens) Verify(raw string) (Principal, error) {
	now := t.Now()
	t.mu.RLock()
	p, ok := t.verified[raw]
	t.mu.RUnlock()
	if ok {
		if now.Before(p.ExpiresAt) {
			return p, nil
		}
		return Principal{}, errInvalidToken(errors.New("expired"))
	}

	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.Keys.PublicKey(kid)
		if !ok {
			return nil, errors.New("unknown key id")
		}
		return key, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(t.Issuer),
		jwt.WithAudience(t.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.Now),
		jwt.WithLeeway(5*time.Second),
	)
	if err != nil {
		return Principal{}, errInvalidToken(err)
	}
	if c.Subject == "" || c.ID == "" || !knownRole(c.Role) {
		return Principal{}, errInvalidToken(errors.New("incomplete claims"))
	}
	p = Principal{ID: c.Subject, Role: c.Role, OrgID: c.OrgID, TokenID: c.ID, ExpiresAt: c.ExpiresAt.Time, session: c.Session, Staff: c.Staff && c.OrgID != ""}
	t.remember(raw, p)
	return p, nil
}

// remember keeps raw's principal for Verify until the token expires.
func (t *Tokens) remember(raw string, p Principal) {
	t.mu.Lock()
	if t.verified == nil || len(t.verified) >= maxVerified {
		t.verified = make(map[string]Principal, 1024) // start over rather than grow without bound
	}
	t.verified[raw] = p
	t.mu.Unlock()
}

func knownRole(r Role) bool {
	for _, k := range Roles {
		if k == r {
			return true
		}
	}
	return false
}
