package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// RefreshToken is a stored refresh token (only its hash is kept).
type RefreshToken struct {
	ID        string
	Hash      []byte
	FamilyID  string
	Subject   string
	Role      Role
	OrgID     string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

// Client is an organisation's API client.
type Client struct {
	ClientID   string
	OrgID      string
	SecretHash []byte
	CreatedAt  time.Time
	RevokedAt  *time.Time
}

// Store keeps the credentials and sessions the service needs.
type Store interface {
	AdminByUsername(ctx context.Context, username string) (Admin, error)
	CreateClient(ctx context.Context, c Client) error
	ClientByID(ctx context.Context, clientID string) (Client, error)
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	RefreshTokenByHash(ctx context.Context, hash []byte) (RefreshToken, error)
	// UseRefreshToken marks the token used at now; it reports false when it was already used
	// or revoked (so that two concurrent refreshes cannot both succeed).
	UseRefreshToken(ctx context.Context, id string, now time.Time) (bool, error)
	RevokeFamily(ctx context.Context, familyID string, now time.Time) error
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Revocations is the deny-list of access tokens: one token (logout), or every token of a
// sign-in session, that is of a refresh family (logout, or the reuse of a spent refresh token).
type Revocations interface {
	Revoke(ctx context.Context, jti string, expiresAt time.Time) error
	IsRevoked(ctx context.Context, jti string) (bool, error)
	// RevokeSession refuses every access token of session sid until the time given, after
	// which none of them can be valid any more. Revoking twice is fine.
	RevokeSession(ctx context.Context, sid string, until time.Time) error
	IsSessionRevoked(ctx context.Context, sid string) (bool, error)
}

// OrgStanding is what authentication needs to know of an organisation.
type OrgStanding struct {
	Type   string `json:"type"`
	Status string `json:"status"`
}

// OrgStatuses tells whether an organisation's credentials may be used now. OrgStanding returns
// an errs NotFound error for an unknown organisation.
type OrgStatuses interface {
	OrgStanding(ctx context.Context, orgID string) (OrgStanding, error)
}

// StaffLogins is what sign-in and authentication need of staff accounts.
type StaffLogins interface {
	StaffByUsername(ctx context.Context, username string) (StaffUser, error)
	StaffStatuses
}

// Throttle counts failed sign-ins per key. Check answers how long the caller must wait, or 0.
type Throttle interface {
	Check(ctx context.Context, keys ...ThrottleKey) time.Duration
	Fail(ctx context.Context, keys ...ThrottleKey)
	Reset(ctx context.Context, keys ...ThrottleKey)
}

// ThrottleKey is one counter with its limit; Key never contains personal data.
type ThrottleKey struct {
	Key   string
	Limit int
}

// Throttling limits of failed sign-ins within one window.
type Throttling struct {
	PerAccount int
	PerIP      int
}

// prefetcher is a cached source that can announce a read to be made with the next one.
type prefetcher interface {
	Prefetch(ctx context.Context, key string) context.Context
}

// Service is the token endpoint's use cases and the per-request authentication.
type Service struct {
	Store       Store
	Workers     WorkerAccounts
	Tokens      *Tokens
	Revocations Revocations
	Orgs        OrgStatuses
	// Staff finds organisations' staff accounts at sign-in and answers their status on every
	// request; nil means there are none.
	Staff      StaffLogins
	Throttle   Throttle
	Limits     Throttling
	RefreshTTL time.Duration
	// AccountKey turns an account name into a throttle key that reveals nothing (HMAC).
	AccountKey func(name string) string
	Now        func() time.Time
}

// Grant is what the token endpoint answers.
type Grant struct {
	AccessToken  string
	ExpiresIn    int
	RefreshToken string // empty for client credentials
}

func errBadGrant() error {
	return errs.Unauthenticated("invalid_grant", "the credentials are not valid")
}

// PasswordGrant signs in a worker (username = SSN), an admin or an organisation's staff
// member (admin and staff usernames share one namespace, so at most one account matches). An unknown account and a wrong
// password answer alike, after the same work.
func (s *Service) PasswordGrant(ctx context.Context, username, password, clientIP string) (Grant, error) {
	name := strings.TrimSpace(username)
	ssn, ssnErr := identity.ParseSSN(name, s.Now())
	account := strings.ToLower(name)
	if ssnErr == nil {
		account = string(ssn)
	}
	keys := []ThrottleKey{
		{Key: "acct:" + s.AccountKey(account), Limit: s.Limits.PerAccount},
		{Key: "ip:" + clientIP, Limit: s.Limits.PerIP},
	}
	if wait := s.Throttle.Check(ctx, keys...); wait > 0 {
		return Grant{}, errs.RateLimited("too_many_attempts", wait, "too many failed sign-ins; try again later")
	}
	var (
		p    Principal
		hash string
	)
	if ssnErr == nil {
		login, err := s.Workers.WorkerLogin(ctx, ssn)
		if err != nil && errs.KindOf(err) != errs.KindNotFound {
			return Grant{}, err
		}
		p, hash = Principal{ID: login.WorkerID, Role: RoleWorker}, login.PasswordHash
	} else {
		a, err := s.Store.AdminByUsername(ctx, account)
		if err != nil && errs.KindOf(err) != errs.KindNotFound {
			return Grant{}, err
		}
		if err == nil && a.Status == "active" {
			p, hash = Principal{ID: a.ID, Role: RoleAdmin}, a.PasswordHash
		}
		if errs.KindOf(err) == errs.KindNotFound && s.Staff != nil {
			if p, hash, err = s.staffLogin(ctx, account); err != nil {
				return Grant{}, err
			}
		}
	}
	if hash == "" {
		CheckDummy(password)
		s.Throttle.Fail(ctx, keys...)
		return Grant{}, errBadGrant()
	}
	if !CheckPassword(hash, password) {
		s.Throttle.Fail(ctx, keys...)
		return Grant{}, errBadGrant()
	}
	s.Throttle.Reset(ctx, keys[0])
	return s.issue(ctx, p, uuid.Must(uuid.NewV7()).String(), true)
}

// ClientCredentialsGrant signs in an organisation's API client.
func (s *Service) ClientCredentialsGrant(ctx context.Context, clientID, secret, clientIP string) (Grant, error) {
	keys := []ThrottleKey{{Key: "client:" + hashHex(clientID), Limit: s.Limits.PerAccount}, {Key: "ip:" + clientIP, Limit: s.Limits.PerIP}}
	if wait := s.Throttle.Check(ctx, keys...); wait > 0 {
		return Grant{}, errs.RateLimited("too_many_attempts", wait, "too many failed sign-ins; try again later")
	}
	c, err := s.Store.ClientByID(ctx, clientID)
	if err != nil && errs.KindOf(err) != errs.KindNotFound {
		return Grant{}, err
	}
	sum := sha256.Sum256([]byte(secret))
	if err != nil || c.RevokedAt != nil || subtle.ConstantTimeCompare(sum[:], c.SecretHash) != 1 {
		s.Throttle.Fail(ctx, keys...)
		return Grant{}, errBadGrant()
	}
	role, err := s.orgRole(ctx, c.OrgID)
	if err != nil {
		return Grant{}, err
	}
	s.Throttle.Reset(ctx, keys[0])
	return s.issue(ctx, Principal{ID: c.ClientID, Role: role, OrgID: c.OrgID}, "", false)
}

// orgRole answers the role of an active organisation, or invalid_grant.
func (s *Service) orgRole(ctx context.Context, orgID string) (Role, error) {
	st, err := s.Orgs.OrgStanding(ctx, orgID)
	if errs.KindOf(err) == errs.KindNotFound {
		return "", errBadGrant()
	}
	if err != nil {
		return "", err
	}
	if st.Status != "active" {
		return "", errBadGrant()
	}
	return Role(st.Type), nil
}

// RefreshGrant exchanges a refresh token for a new pair. Refresh tokens rotate: each works
// once, and presenting a spent one revokes its whole family (it has been stolen or replayed).
func (s *Service) RefreshGrant(ctx context.Context, raw string) (Grant, error) {
	sum := sha256.Sum256([]byte(raw))
	rt, err := s.Store.RefreshTokenByHash(ctx, sum[:])
	if errs.KindOf(err) == errs.KindNotFound {
		return Grant{}, errBadGrant()
	}
	if err != nil {
		return Grant{}, err
	}
	now := s.Now()
	if rt.RevokedAt != nil || !now.Before(rt.ExpiresAt) {
		return Grant{}, errBadGrant()
	}
	ok, err := s.Store.UseRefreshToken(ctx, rt.ID, now)
	if err != nil {
		return Grant{}, err
	}
	if !ok {
		if err := s.endSession(ctx, rt.FamilyID); err != nil {
			return Grant{}, err
		}
		return Grant{}, errBadGrant()
	}
	// A refresh that raced with the end of its session must not start it again.
	if ended, err := s.Revocations.IsSessionRevoked(ctx, rt.FamilyID); err != nil || ended {
		if err != nil {
			return Grant{}, err
		}
		return Grant{}, errBadGrant()
	}
	// Only staff members hold refresh tokens for an organisation (clients get none).
	p := Principal{ID: rt.Subject, Role: rt.Role, OrgID: rt.OrgID, Staff: rt.OrgID != ""}
	if p.OrgID != "" {
		if _, err := s.orgRole(ctx, p.OrgID); err != nil {
			return Grant{}, err
		}
		if err := s.staffActive(ctx, p.ID); err != nil {
			return Grant{}, err
		}
	}
	return s.issue(ctx, p, rt.FamilyID, true)
}

// issue signs an access token and, when withRefresh, stores a new refresh token of family.
func (s *Service) issue(ctx context.Context, p Principal, family string, withRefresh bool) (Grant, error) {
	token, signed, err := s.Tokens.Sign(p, family)
	if err != nil {
		return Grant{}, err
	}
	if pr, ok := s.Revocations.(issuedNotifier); ok {
		pr.Issued(ctx, signed.TokenID, family)
	}
	g := Grant{AccessToken: token, ExpiresIn: int(s.Tokens.TTL.Seconds())}
	if !withRefresh {
		return g, nil
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Grant{}, errs.Internal(err, "random refresh token")
	}
	g.RefreshToken = base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(g.RefreshToken))
	now := s.Now().UTC()
	rt := RefreshToken{
		ID: uuid.Must(uuid.NewV7()).String(), Hash: sum[:], FamilyID: family,
		Subject: p.ID, Role: p.Role, OrgID: p.OrgID,
		ExpiresAt: now.Add(s.RefreshTTL), CreatedAt: now,
	}
	// In a transaction, so that the grant's audit event commits with the refresh token.
	if err := s.Store.WithTx(ctx, func(ctx context.Context) error { return s.Store.CreateRefreshToken(ctx, rt) }); err != nil {
		return Grant{}, err
	}
	return g, nil
}

// Logout revokes the access token at once and ends its session: the refresh family and every
// other access token issued in it. It runs no transaction of its own: the cached deny-list
// forgets its entry right after the database write, which must have committed by then, so the
// request's audit event is recorded by the middleware after the answer.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	if err := s.Revocations.Revoke(ctx, p.TokenID, p.ExpiresAt); err != nil {
		return err
	}
	if p.Session() != "" {
		return s.endSession(ctx, p.Session())
	}
	return nil
}

// endSession ends a sign-in session: its access tokens are refused from the next request on,
// then its refresh tokens are revoked. The deny-list entry outlives every token the session
// can still hold: an access token issued a moment ago, and a refresh token issued by a refresh
// that raced with this call (which RefreshGrant then refuses).
func (s *Service) endSession(ctx context.Context, sid string) error {
	now := s.Now()
	until := now.Add(s.Tokens.TTL + s.RefreshTTL + time.Minute)
	if err := s.Revocations.RevokeSession(ctx, sid, until); err != nil {
		return err
	}
	return s.Store.RevokeFamily(ctx, sid, now)
}

// Authenticate verifies a bearer token and checks that it is not revoked and that its
// organisation, if any, is still active.
func (s *Service) Authenticate(ctx context.Context, raw string) (Principal, error) {
	_, p, err := s.AuthenticatePrefetching(ctx, raw, nil)
	return p, err
}

// AuthenticatePrefetching is Authenticate that lets the caller announce, once the principal is
// known and before the revocation check reads the cache, what the request will read next
// (prefetch returns the context carrying that announcement), so both share one round trip.
func (s *Service) AuthenticatePrefetching(ctx context.Context, raw string,
	prefetch func(context.Context, Principal) context.Context) (context.Context, Principal, error) {
	p, err := s.Tokens.Verify(raw)
	if err != nil {
		return ctx, Principal{}, err
	}
	if prefetch != nil {
		ctx = prefetch(ctx, p)
	}
	p, err = s.checkStanding(ctx, p)
	return ctx, p, err
}

// issuedNotifier is a cached deny-list that can be told of a token just issued, which is not
// revoked, in a session the grant found not ended.
type issuedNotifier interface {
	Issued(ctx context.Context, jti, sid string)
}

// sessionPrefetcher is a cached deny-list that can announce a session's read.
type sessionPrefetcher interface {
	PrefetchSession(ctx context.Context, sid string) context.Context
}

// checkStanding refuses a revoked token, a token of an ended session and a token of an
// organisation that is not active.
func (s *Service) checkStanding(ctx context.Context, p Principal) (Principal, error) {
	if pf, ok := s.Orgs.(prefetcher); ok && p.OrgID != "" {
		ctx = pf.Prefetch(ctx, p.OrgID) // read the standing with the deny-list, in one round trip
	}
	if pf, ok := s.Staff.(prefetcher); ok && p.Staff {
		ctx = pf.Prefetch(ctx, p.ID) // and the staff member's status
	}
	if pf, ok := s.Revocations.(sessionPrefetcher); ok && p.session != "" {
		ctx = pf.PrefetchSession(ctx, p.session) // likewise the session's entry
	}
	revoked, err := s.Revocations.IsRevoked(ctx, p.TokenID)
	if err != nil {
		return Principal{}, err
	}
	if !revoked && p.session != "" {
		if revoked, err = s.Revocations.IsSessionRevoked(ctx, p.session); err != nil {
			return Principal{}, err
		}
	}
	if revoked {
		return Principal{}, errInvalidToken(nil)
	}
	if p.OrgID != "" {
		st, err := s.Orgs.OrgStanding(ctx, p.OrgID)
		if err != nil && errs.KindOf(err) != errs.KindNotFound {
			return Principal{}, err
		}
		if err != nil || st.Status != "active" {
			return Principal{}, errs.Unauthenticated("invalid_token", "the organisation's credentials are not active")
		}
	}
	if p.Staff {
		if err := s.staffActive(ctx, p.ID); err != nil {
			if errs.KindOf(err) != errs.KindUnauthenticated {
				return Principal{}, err
			}
			return Principal{}, errs.Unauthenticated("invalid_token", "the account is not active")
		}
	}
	return p, nil
}

// NewClientSecret makes a client id and a secret (shown once) and the hash to store.
func NewClientSecret() (clientID, secret string, hash []byte, err error) {
	id := make([]byte, 12)
	sec := make([]byte, 32)
	if _, err = rand.Read(id); err != nil {
		return "", "", nil, err
	}
	if _, err = rand.Read(sec); err != nil {
		return "", "", nil, err
	}
	clientID = "cl_" + hex.EncodeToString(id)
	secret = base64.RawURLEncoding.EncodeToString(sec)
	sum := sha256.Sum256([]byte(secret))
	return clientID, secret, sum[:], nil
}

// CreateClient issues a new API client for an organisation; the secret is returned once and
// only its SHA-256 is stored (it is 256 random bits, so a slow hash adds nothing).
func (s *Service) CreateClient(ctx context.Context, orgID string) (clientID, secret string, err error) {
	clientID, secret, hash, err := NewClientSecret()
	if err != nil {
		return "", "", errs.Internal(err, "random client secret")
	}
	if err := s.Store.CreateClient(ctx, Client{ClientID: clientID, OrgID: orgID, SecretHash: hash, CreatedAt: s.Now().UTC()}); err != nil {
		return "", "", err
	}
	return clientID, secret, nil
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}
