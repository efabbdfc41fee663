package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"skillrecord/internal/errs"
)

// Argon2id parameters (OWASP's baseline: 19 MiB, two passes, one lane).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC-encoded argon2id hash. A malformed
// hash never matches. The comparison is constant-time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, iters, mem, threads, uint32(len(want))) //nolint:gosec // bounded to 64 above
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no account matches, so that an unknown user costs the
// same time as a wrong password.
var dummyHash, _ = HashPassword("no such account: constant-time filler")

// CheckDummy spends the time of one password check and returns false.
func CheckDummy(password string) bool {
	CheckPassword(dummyHash, password)
	return false
}

// Password rules shared by every kind of account.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// ValidatePassword enforces the password policy: 8 to 128 characters with at least one letter
// and one digit. The error names the field, never the value.
func ValidatePassword(field, password string) error {
	var letter, digit bool
	for _, r := range password {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	n := len([]rune(password))
	if n < MinPasswordLen || n > MaxPasswordLen || !letter || !digit {
		return errs.Invalid("weak_password", "the password must be %d to %d characters with letters and digits", MinPasswordLen, MaxPasswordLen).
			WithFields(errs.Field(field, "weak_password", "8 to 128 characters with at least one letter and one digit"))
	}
	return nil
}
