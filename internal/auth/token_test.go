package auth_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

type keyset struct {
	kid  string
	priv ed25519.PrivateKey
	pubs map[string]ed25519.PublicKey
}

func (k *keyset) Current() (string, ed25519.PrivateKey) { return k.kid, k.priv }
func (k *keyset) PublicKey(kid string) (ed25519.PublicKey, bool) {
	p, ok := k.pubs[kid]
	return p, ok
}

func newKeyset(t *testing.T, kid string) *keyset {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return &keyset{kid: kid, priv: priv, pubs: map[string]ed25519.PublicKey{kid: pub}}
}

func TestTokens_RotationKeepsThePreviousKeyVerifiable(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	old := newKeyset(t, "old")
	tokens := &auth.Tokens{Keys: old, Issuer: "https://sr.example", Audience: "skillrecord-api", TTL: 15 * time.Minute, Now: clock}
	tok, _, err := tokens.Sign(auth.Principal{ID: "w1", Role: auth.RoleWorker}, "fam")
	require.NoError(t, err)

	rotated := newKeyset(t, "new")
	rotated.pubs["old"] = old.pubs["old"] // the previous key stays published
	after := &auth.Tokens{Keys: rotated, Issuer: "https://sr.example", Audience: "skillrecord-api", TTL: 15 * time.Minute, Now: clock}
	p, err := after.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, "w1", p.ID)
	assert.Equal(t, "fam", p.Session())

	dropped := newKeyset(t, "newer")
	gone := &auth.Tokens{Keys: dropped, Issuer: "https://sr.example", Audience: "skillrecord-api", TTL: 15 * time.Minute, Now: clock}
	_, err = gone.Verify(tok)
	assert.Equal(t, errs.KindUnauthenticated, errs.KindOf(err), "a key no longer published verifies nothing")
}

func TestTokens_VerifiedTokenStillExpires(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	tokens := &auth.Tokens{Keys: newKeyset(t, "k"), Issuer: "i", Audience: "a", TTL: time.Minute, Now: func() time.Time { return now }}
	tok, _, err := tokens.Sign(auth.Principal{ID: "a1", Role: auth.RoleAdmin}, "")
	require.NoError(t, err)
	_, err = tokens.Verify(tok) // now remembered
	require.NoError(t, err)
	now = now.Add(2 * time.Minute)
	_, err = tokens.Verify(tok)
	assert.Equal(t, errs.KindUnauthenticated, errs.KindOf(err))
}

func TestPassword_HashAndCheck(t *testing.T) {
	h, err := auth.HashPassword("correct-horse-42")
	require.NoError(t, err)
	assert.True(t, auth.CheckPassword(h, "correct-horse-42"))
	assert.False(t, auth.CheckPassword(h, "correct-horse-43"))
	assert.False(t, auth.CheckPassword("$argon2id$garbage", "x"))
	assert.NotContains(t, h, "correct-horse")
	h2, _ := auth.HashPassword("correct-horse-42")
	assert.NotEqual(t, h, h2, "salted")
}

func TestValidatePassword_Policy(t *testing.T) {
	for pw, ok := range map[string]bool{
		"abcdefg1": true, "密码密码密码12": true, "short1": false, "allletters": false, "12345678": false, "": false,
	} {
		err := auth.ValidatePassword("password", pw)
		assert.Equalf(t, ok, err == nil, "%q", pw)
		if err != nil {
			assert.Equal(t, "weak_password", errs.CodeOf(err))
			if pw != "" {
				assert.NotContains(t, err.Error(), pw)
			}
		}
	}
}

func TestCreateAdmin_UsernameRules(t *testing.T) {
	store := &memAdmins{}
	for name, ok := range map[string]bool{"ops": true, "Bureau.Admin": true, "ops@hrss.gov.cn": true, "ab": false, "-ops": false, "张三": false, "a b c": false} {
		_, err := auth.CreateAdmin(t.Context(), store, name, "admin-pass-2026", time.Now())
		assert.Equalf(t, ok, err == nil, "%q: %v", name, err)
	}
	_, err := auth.CreateAdmin(t.Context(), store, "Bureau.Admin", "admin-pass-2026", time.Now())
	require.NoError(t, err)
	assert.Equal(t, "bureau.admin", store.last.Username, "usernames are kept in lower case")
}

type memAdmins struct{ last auth.Admin }

func (m *memAdmins) CreateAdmin(_ context.Context, a auth.Admin) error { m.last = a; return nil }
func (m *memAdmins) AdminByUsername(context.Context, string) (auth.Admin, error) {
	return auth.Admin{}, errs.NotFound("not_found", "no")
}

// countingKeys counts the public-key lookups, one for every signature checked.
type countingKeys struct {
	*keyset
	lookups int
}

func (k *countingKeys) PublicKey(kid string) (ed25519.PublicKey, bool) {
	k.lookups++
	return k.keyset.PublicKey(kid)
}

func TestTokens_ATokenThisInstanceSignedNeedsNoSignatureCheck(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	keys := &countingKeys{keyset: newKeyset(t, "k")}
	tokens := &auth.Tokens{Keys: keys, Issuer: "i", Audience: "a", TTL: time.Minute, Now: clock}
	tok, signed, err := tokens.Sign(auth.Principal{ID: "c1", Role: auth.RoleEmployer, OrgID: "o1", Staff: true}, "fam")
	require.NoError(t, err)

	p, err := tokens.Verify(tok)
	require.NoError(t, err)
	assert.Zero(t, keys.lookups, "remembered when signed")
	assert.Equal(t, auth.Principal{ID: "c1", Role: auth.RoleEmployer, OrgID: "o1", Staff: true, TokenID: signed.TokenID, ExpiresAt: signed.ExpiresAt.UTC()}, withoutSession(p))
	assert.Equal(t, "fam", p.Session())

	// Another instance checks the signature, and reads the same principal from the claims.
	other := &auth.Tokens{Keys: keys, Issuer: "i", Audience: "a", TTL: time.Minute, Now: clock}
	q, err := other.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, 1, keys.lookups)
	assert.Equal(t, withoutSession(p), withoutSession(q))
	assert.Equal(t, "fam", q.Session())

	// A remembered token still expires.
	now = now.Add(2 * time.Minute)
	_, err = tokens.Verify(tok)
	assert.Equal(t, errs.KindUnauthenticated, errs.KindOf(err))

	// A principal Verify would refuse is not remembered either.
	bad, _, err := tokens.Sign(auth.Principal{ID: "x", Role: auth.Role("root")}, "")
	require.NoError(t, err)
	_, err = tokens.Verify(bad)
	assert.Equal(t, errs.KindUnauthenticated, errs.KindOf(err))
}

// withoutSession drops the unexported session, which Principal's == would compare, and the
// expiry's time zone (the claims' is the local one).
func withoutSession(p auth.Principal) auth.Principal {
	return auth.Principal{ID: p.ID, Role: p.Role, OrgID: p.OrgID, Staff: p.Staff, TokenID: p.TokenID, ExpiresAt: p.ExpiresAt.UTC()}
}
