package auth

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
)

// Admin is a bureau staff account.
type Admin struct {
	ID           string
	Username     string
	PasswordHash string
	Status       string // active | disabled
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// AdminStore keeps admin accounts. CreateAdmin returns an errs Conflict when the username is
// taken.
type AdminStore interface {
	CreateAdmin(ctx context.Context, a Admin) error
	AdminByUsername(ctx context.Context, username string) (Admin, error)
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{2,63}$`)

// CreateAdmin validates and stores a new admin account; now is the creation time.
func CreateAdmin(ctx context.Context, store AdminStore, username, password string, now time.Time) (Admin, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if !usernamePattern.MatchString(username) {
		return Admin{}, errs.Invalid("invalid_username", "the username must be 3 to 64 of a-z, 0-9, '.', '_', '@' or '-', starting with a letter or digit").
			WithFields(errs.Field("username", "invalid_username", "3 to 64 of a-z 0-9 . _ @ -"))
	}
	if err := ValidatePassword("password", password); err != nil {
		return Admin{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return Admin{}, errs.Internal(err, "hash password")
	}
	a := Admin{ID: uuid.Must(uuid.NewV7()).String(), Username: username, PasswordHash: hash, Status: "active", CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
	if err := store.CreateAdmin(ctx, a); err != nil {
		if errs.KindOf(err) == errs.KindConflict {
			return Admin{}, errs.Conflict("username_taken", "an admin with this username already exists").WithCause(err)
		}
		return Admin{}, err
	}
	return a, nil
}
