package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// SetPasswordTTL is how long a staff account's one-time set-password link is good for.
const SetPasswordTTL = 72 * time.Hour

// Staff statuses.
const (
	StaffActive   = "active"
	StaffDisabled = "disabled"
)

// StaffUser is a named person who signs in for an organisation (a clerk of an institution, an
// HR officer of an employer). Usernames share one namespace with admin usernames: a name taken
// by either kind of account cannot be given to the other, so the password grant finds at most
// one account for it.
type StaffUser struct {
	ID           string
	OrgID        string
	Username     string
	DisplayName  string
	PasswordHash string // empty until the set-password link is spent
	Status       string // active | disabled
	// SetTokenHash is the SHA-256 of the one-time set-password token; nil once it is spent.
	SetTokenHash   []byte
	SetTokenExpiry *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// StaffStore keeps staff accounts. CreateStaff returns an errs Conflict when the username is
// taken by a staff account or an admin; SpendSetPasswordToken sets the password of the account
// whose unexpired token hashes to hash and forgets the token, or returns an errs NotFound.
type StaffStore interface {
	CreateStaff(ctx context.Context, u StaffUser) error
	StaffByUsername(ctx context.Context, username string) (StaffUser, error)
	ListStaff(ctx context.Context, orgID string, p page.Request) ([]StaffUser, error)
	SetStaffStatus(ctx context.Context, orgID, id, status string, now time.Time) (StaffUser, error)
	SpendSetPasswordToken(ctx context.Context, hash []byte, passwordHash string, now time.Time) error
}

// StaffStatuses answers a staff account's status on every request of its tokens; a cached
// implementation can read it in the same round trip as the deny-list. StaffStatus returns an
// errs NotFound for an unknown account.
type StaffStatuses interface {
	StaffStatus(ctx context.Context, id string) (string, error)
}

// StaffStatusCache forgets a cached staff status after a change has committed.
type StaffStatusCache interface {
	ForgetStaffStatus(ctx context.Context, id string) error
}

// StaffService is the bureau's management of staff accounts and the spending of their links.
type StaffService struct {
	Store StaffStore
	Cache StaffStatusCache // may be nil
	Now   func() time.Time
}

// NewStaff is a created account with its one-time set-password token (shown once).
type NewStaff struct {
	User      StaffUser
	Token     string
	ExpiresAt time.Time
}

// Create adds a staff account to organisation orgID (whose existence the caller has checked).
func (s *StaffService) Create(ctx context.Context, orgID, username, displayName string) (NewStaff, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if !usernamePattern.MatchString(username) {
		return NewStaff{}, errs.Invalid("invalid_username", "the username must be 3 to 64 of a-z, 0-9, '.', '_', '@' or '-', starting with a letter or digit").
			WithFields(errs.Field("username", "invalid_username", "3 to 64 of a-z 0-9 . _ @ -"))
	}
	displayName = strings.TrimSpace(displayName)
	if n := utf8.RuneCountInString(displayName); n < 1 || n > 64 {
		return NewStaff{}, errs.Invalid("invalid_display_name", "the display name must be 1 to 64 characters").
			WithFields(errs.Field("display_name", "invalid_display_name", "1 to 64 characters"))
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return NewStaff{}, errs.Internal(err, "random set-password token")
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(token))
	now := s.Now().UTC()
	exp := now.Add(SetPasswordTTL)
	u := StaffUser{
		ID: uuid.Must(uuid.NewV7()).String(), OrgID: orgID, Username: username, DisplayName: displayName,
		Status: StaffActive, SetTokenHash: sum[:], SetTokenExpiry: &exp, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.Store.CreateStaff(ctx, u); err != nil {
		if errs.KindOf(err) == errs.KindConflict {
			return NewStaff{}, errs.Conflict("username_taken", "this username is already taken").
				WithFields(errs.Field("username", "username_taken", "already taken")).WithCause(err)
		}
		return NewStaff{}, err
	}
	return NewStaff{User: u, Token: token, ExpiresAt: exp}, nil
}

// SetPassword spends a set-password token: the password must follow the policy, and the token
// must be unspent and unexpired (else invalid_token, whichever it is).
func (s *StaffService) SetPassword(ctx context.Context, token, password string) error {
	if err := ValidatePassword("password", password); err != nil {
		return err
	}
	if token == "" || len(token) > 256 {
		return errInvalidSetToken()
	}
	hash, err := HashPassword(password)
	if err != nil {
		return errs.Internal(err, "hash password")
	}
	sum := sha256.Sum256([]byte(token))
	err = s.Store.SpendSetPasswordToken(ctx, sum[:], hash, s.Now().UTC())
	if errs.KindOf(err) == errs.KindNotFound {
		return errInvalidSetToken()
	}
	return err
}

func errInvalidSetToken() error {
	return errs.Invalid("invalid_token", "the set-password link is spent, expired or unknown").
		WithFields(errs.Field("token", "invalid_token", "spent, expired or unknown"))
}

// List returns one page of an organisation's staff accounts.
func (s *StaffService) List(ctx context.Context, orgID string, p page.Request) (page.Result[StaffUser], error) {
	items, err := s.Store.ListStaff(ctx, orgID, p)
	if err != nil {
		return page.Result[StaffUser]{}, err
	}
	return page.Trim(items, p.Limit, func(u StaffUser) string { return u.ID }), nil
}

// SetStatus enables or disables an account; a disabled account's tokens are refused from the
// next request on.
func (s *StaffService) SetStatus(ctx context.Context, orgID, id, status string) (StaffUser, error) {
	if status != StaffActive && status != StaffDisabled {
		return StaffUser{}, errs.Invalid("invalid_status", "the status must be active or disabled").
			WithFields(errs.Field("status", "invalid_status", "active or disabled"))
	}
	if _, err := uuid.Parse(id); err != nil {
		return StaffUser{}, errs.NotFound("not_found", "no such user")
	}
	u, err := s.Store.SetStaffStatus(ctx, orgID, id, status, s.Now().UTC())
	if errs.KindOf(err) == errs.KindNotFound {
		return StaffUser{}, errs.NotFound("not_found", "no such user")
	}
	if err != nil {
		return StaffUser{}, err
	}
	if s.Cache != nil {
		if err := s.Cache.ForgetStaffStatus(ctx, id); err != nil {
			return StaffUser{}, err
		}
	}
	return u, nil
}

// staffLogin finds an active staff account of an active organisation by username, with the
// principal it signs in as; no such account answers an empty hash (and no error).
func (s *Service) staffLogin(ctx context.Context, username string) (Principal, string, error) {
	u, err := s.Staff.StaffByUsername(ctx, username)
	if errs.KindOf(err) == errs.KindNotFound {
		return Principal{}, "", nil
	}
	if err != nil {
		return Principal{}, "", err
	}
	if u.Status != StaffActive || u.PasswordHash == "" {
		return Principal{}, "", nil
	}
	st, err := s.Orgs.OrgStanding(ctx, u.OrgID)
	if errs.KindOf(err) == errs.KindNotFound {
		return Principal{}, "", nil // an account of an organisation that is gone signs in as no account
	}
	if err != nil {
		return Principal{}, "", err
	}
	if st.Status != "active" {
		return Principal{}, "", nil
	}
	return Principal{ID: u.ID, Role: Role(st.Type), OrgID: u.OrgID, Staff: true}, u.PasswordHash, nil
}

// staffActive answers nil when the staff account id is active, else invalid_grant.
func (s *Service) staffActive(ctx context.Context, id string) error {
	if s.Staff == nil {
		return errBadGrant()
	}
	st, err := s.Staff.StaffStatus(ctx, id)
	if err != nil && errs.KindOf(err) != errs.KindNotFound {
		return err
	}
	if err != nil || st != StaffActive {
		return errBadGrant()
	}
	return nil
}
