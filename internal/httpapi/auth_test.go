package httpapi_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
)

const adminPass = "admin-pass-2026"

func signIn(a *apitest.App, user, pass string) *apitest.Response {
	return a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "password", "username": user, "password": pass})
}

func TestToken_AdminPasswordGrantIssuesVerifiableEdDSAToken(t *testing.T) {
	a := apitest.NewApp(t)
	adm := a.CreateAdmin(t, "ops.one", adminPass)
	res := signIn(a, "ops.one", adminPass)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	var body map[string]any
	res.JSON(t, &body)
	assert.Equal(t, "Bearer", body["token_type"])
	assert.EqualValues(t, 900, body["expires_in"])
	assert.NotEmpty(t, body["refresh_token"])
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))

	// The token verifies with the published key and carries the claims the design lists.
	jwks := a.As("").Do("GET", "/.well-known/jwks.json", nil)
	require.Equal(t, http.StatusOK, jwks.Status)
	var set struct {
		Keys []struct{ Kid, X string } `json:"keys"`
	}
	jwks.JSON(t, &set)
	require.NotEmpty(t, set.Keys)
	pub, err := base64.RawURLEncoding.DecodeString(set.Keys[0].X)
	require.NoError(t, err)
	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(body["access_token"].(string), claims, func(tok *jwt.Token) (any, error) {
		assert.Equal(t, set.Keys[0].Kid, tok.Header["kid"])
		return ed25519.PublicKey(pub), nil
	}, jwt.WithValidMethods([]string{"EdDSA"}))
	require.NoError(t, err)
	require.True(t, tok.Valid)
	for _, c := range []string{"iss", "aud", "sub", "exp", "iat", "jti", "role"} {
		assert.Contains(t, claims, c)
	}
	assert.Equal(t, adm.ID, claims["sub"])
	assert.Equal(t, "admin", claims["role"])
}

func TestToken_UnknownUserAndWrongPasswordAnswerAlike(t *testing.T) {
	a := apitest.NewApp(t)
	a.CreateAdmin(t, "ops.two", adminPass)
	wrong := signIn(a, "ops.two", "not-the-pass-1")
	unknown := signIn(a, "nobody.here", "not-the-pass-1")
	worker := signIn(a, "11010519491231002X", "not-the-pass-1")
	for _, r := range []*apitest.Response{wrong, unknown, worker} {
		assert.Equal(t, http.StatusUnauthorized, r.Status)
		p := r.Map(t)
		assert.Equal(t, "invalid_grant", p["code"])
		delete(p, "request_id")
		w := wrong.Map(t)
		delete(w, "request_id")
		assert.Equal(t, w, p, "identical answers")
	}
}

func TestToken_RepeatedFailuresAreThrottledWithRetryAfter(t *testing.T) {
	a := apitest.NewApp(t)
	a.CreateAdmin(t, "ops.three", adminPass)
	for i := 0; i < a.Config.Auth.MaxFailuresPerAccount; i++ {
		require.Equal(t, http.StatusUnauthorized, signIn(a, "ops.three", "wrong-pass-9").Status)
	}
	res := signIn(a, "ops.three", adminPass)
	require.Equal(t, http.StatusTooManyRequests, res.Status, "even the right password waits")
	assert.Equal(t, "too_many_attempts", res.Map(t)["code"])
	secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
	require.NoError(t, err)
	assert.Greater(t, secs, 0)
	assert.LessOrEqual(t, secs, int(a.Config.Auth.FailureWindow.Seconds()))
}

func TestToken_RefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	a := apitest.NewApp(t)
	a.CreateAdmin(t, "ops.four", adminPass)
	_, r1 := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.four", "password": adminPass})
	access2, r2 := a.Token(t, map[string]string{"grant_type": "refresh_token", "refresh_token": r1})
	require.NotEqual(t, r1, r2)
	assert.NotEmpty(t, access2)

	reuse := a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "refresh_token", "refresh_token": r1})
	require.Equal(t, http.StatusUnauthorized, reuse.Status)
	assert.Equal(t, "invalid_grant", reuse.Map(t)["code"])

	after := a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "refresh_token", "refresh_token": r2})
	assert.Equal(t, http.StatusUnauthorized, after.Status, "the whole family is revoked after a reuse")
}

func TestToken_BadRequests(t *testing.T) {
	a := apitest.NewApp(t)
	c := a.As("")
	res := c.Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "magic"})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "unsupported_grant_type", res.Map(t)["code"])
	res = c.Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "password"})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "invalid_request", res.Map(t)["code"])
	res = c.Do("POST", "/api/v1/auth/token", map[string]any{"grant_type": "password", "username": "a", "password": "b", "extra": 1})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assert.Equal(t, "unknown_field", res.Map(t)["code"])
	res = c.Do("POST", "/api/v1/auth/token", "grant_type=password&username=nobody.x&password=wrong-pass-1",
		"Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, http.StatusUnauthorized, res.Status, "the OAuth form encoding is accepted")
}

func TestLogout_RevokesAtOnceAndSurvivesARedisRestart(t *testing.T) {
	a := apitest.NewApp(t)
	a.CreateAdmin(t, "ops.five", adminPass)
	access, refresh := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.five", "password": adminPass})
	me := a.As(access)
	require.Equal(t, http.StatusOK, me.Do("GET", "/api/v1/admin/organizations", nil).Status)

	require.Equal(t, http.StatusNoContent, me.Do("POST", "/api/v1/auth/logout", nil).Status)
	res := me.Do("GET", "/api/v1/admin/organizations", nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status)
	assert.Equal(t, "invalid_token", res.Map(t)["code"])

	// Redis loses everything (a restart without persistence): the database still knows.
	flushPrefix(t, a)
	assert.Equal(t, http.StatusUnauthorized, me.Do("GET", "/api/v1/admin/organizations", nil).Status)

	r := a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "refresh_token", "refresh_token": refresh})
	assert.Equal(t, http.StatusUnauthorized, r.Status, "logout ends the refresh family too")
}

func TestAuthenticate_RefusesForgedAndExpiredTokens(t *testing.T) {
	a := apitest.NewApp(t)
	a.CreateAdmin(t, "ops.six", adminPass)
	good, _ := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.six", "password": adminPass})
	parts := strings.Split(good, ".")
	var claims map[string]any
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, json.Unmarshal(payload, &claims))
	kid := a.Keys.Signing.ID

	sign := func(method jwt.SigningMethod, key any, mutate func(jwt.MapClaims)) string {
		c := jwt.MapClaims{}
		for k, v := range claims {
			c[k] = v
		}
		if mutate != nil {
			mutate(c)
		}
		tok := jwt.NewWithClaims(method, c)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(key)
		require.NoError(t, err)
		return s
	}
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	none := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims(claims))
	noneTok, _ := none.SignedString(jwt.UnsafeAllowNoneSignatureType)

	forged := map[string]string{
		"alg none":                  noneTok,
		"HS256 with the public key": sign(jwt.SigningMethodHS256, []byte(a.Keys.Signing.Public), nil),
		"wrong key":                 sign(jwt.SigningMethodEdDSA, otherKey, nil),
		"wrong audience":            sign(jwt.SigningMethodEdDSA, a.Keys.Signing.Private, func(c jwt.MapClaims) { c["aud"] = "someone-else" }),
		"wrong issuer":              sign(jwt.SigningMethodEdDSA, a.Keys.Signing.Private, func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }),
		"no exp":                    sign(jwt.SigningMethodEdDSA, a.Keys.Signing.Private, func(c jwt.MapClaims) { delete(c, "exp") }),
		"expired":                   sign(jwt.SigningMethodEdDSA, a.Keys.Signing.Private, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() }),
		"unknown role":              sign(jwt.SigningMethodEdDSA, a.Keys.Signing.Private, func(c jwt.MapClaims) { c["role"] = "root" }),
		"tampered":                  parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"admin"`, `"worker"`, 1))) + "." + parts[2],
		"garbage":                   "not-a-jwt",
	}
	for name, tok := range forged {
		t.Run(name, func(t *testing.T) {
			res := a.As(tok).Do("GET", "/api/v1/admin/organizations", nil)
			assert.Equal(t, http.StatusUnauthorized, res.Status)
			assert.Equal(t, "invalid_token", res.Map(t)["code"])
		})
	}
	t.Run("valid then expired by the clock", func(t *testing.T) {
		require.Equal(t, http.StatusOK, a.As(good).Do("GET", "/api/v1/admin/organizations", nil).Status)
		a.Advance(16 * time.Minute)
		assert.Equal(t, http.StatusUnauthorized, a.As(good).Do("GET", "/api/v1/admin/organizations", nil).Status)
	})
}

func TestClientCredentials_SuspensionBitesOnTheNextRequest(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	orgID := a.CreateOrg(t, admin, "employer")
	id, secret := a.CreateClient(t, admin, orgID)
	tok, refresh := a.Token(t, map[string]string{"grant_type": "client_credentials", "client_id": id, "client_secret": secret})
	assert.Empty(t, refresh, "client credentials get no refresh token")
	emp := a.As(tok)
	// An employer may not list the directory, but its token is valid: 403, not 401.
	require.Equal(t, http.StatusForbidden, emp.Do("GET", "/api/v1/admin/organizations", nil).Status)

	res := a.As(admin).Do("PATCH", "/api/v1/admin/organizations/"+orgID, map[string]string{"status": "suspended", "reason": "inspection found falsified records"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))

	res = emp.Do("GET", "/api/v1/admin/organizations", nil)
	assert.Equal(t, http.StatusUnauthorized, res.Status, "the suspended organisation's token fails at once")
	res = a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "client_credentials", "client_id": id, "client_secret": secret})
	assert.Equal(t, http.StatusUnauthorized, res.Status)

	wrong := a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "client_credentials", "client_id": id, "client_secret": "nope"})
	assert.Equal(t, http.StatusUnauthorized, wrong.Status)
}

func flushPrefix(t *testing.T, a *apitest.App) {
	t.Helper()
	ctx := t.Context()
	iter := a.Cache.Client().Scan(ctx, 0, a.Cache.Key("*"), 1000).Iterator()
	for iter.Next(ctx) {
		require.NoError(t, a.Cache.Client().Del(ctx, iter.Val()).Err())
	}
	require.NoError(t, iter.Err())
}

func TestToken_RefreshReuseEndsTheSessionsAccessTokens(t *testing.T) {
	a := apitest.NewApp(t)
	a.CreateAdmin(t, "ops.reuse", adminPass)
	access1, r1 := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.reuse", "password": adminPass})
	access2, _ := a.Token(t, map[string]string{"grant_type": "refresh_token", "refresh_token": r1})
	other, _ := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.reuse", "password": adminPass})
	list := func(tok string) *apitest.Response { return a.As(tok).Do("GET", "/api/v1/admin/organizations", nil) }
	for _, tok := range []string{access1, access2, access1, access2} { // their states are cached
		require.Equal(t, http.StatusOK, list(tok).Status)
	}

	reuse := a.As("").Do("POST", "/api/v1/auth/token", map[string]string{"grant_type": "refresh_token", "refresh_token": r1})
	require.Equal(t, http.StatusUnauthorized, reuse.Status)

	for name, tok := range map[string]string{"the first access token": access1, "the refreshed one": access2} {
		res := list(tok)
		assert.Equal(t, http.StatusUnauthorized, res.Status, "%s is refused on the next request", name)
		assert.Equal(t, "invalid_token", res.Map(t)["code"])
	}
	assert.Equal(t, http.StatusOK, list(other).Status, "another sign-in session is not affected")
}

func TestLogout_EndsEveryAccessTokenOfTheSession(t *testing.T) {
	a := apitest.NewApp(t)
	a.CreateAdmin(t, "ops.seven", adminPass)
	access1, r1 := a.Token(t, map[string]string{"grant_type": "password", "username": "ops.seven", "password": adminPass})
	access2, _ := a.Token(t, map[string]string{"grant_type": "refresh_token", "refresh_token": r1})
	require.Equal(t, http.StatusOK, a.As(access1).Do("GET", "/api/v1/admin/organizations", nil).Status)

	require.Equal(t, http.StatusNoContent, a.As(access2).Do("POST", "/api/v1/auth/logout", nil).Status)
	assert.Equal(t, http.StatusUnauthorized, a.As(access1).Do("GET", "/api/v1/admin/organizations", nil).Status,
		"a token issued earlier in the session is refused too")
}

// TestToken_AFreshTokensFirstRequestFindsItsDenyListEntry: the grant primes the deny-list
// with the new token's and session's "not revoked", so their first check on any instance is
// a cache hit, not a database read; a logout still refuses the token at once.
func TestToken_AFreshTokensFirstRequestFindsItsDenyListEntry(t *testing.T) {
	a := apitest.NewApp(t)
	admin := a.AdminToken(t)
	_, _, tok := a.WorkerToken(t, admin)
	peer := apitest.NewApp(t, apitest.Options{Peer: a, DB: a.DB}) // another instance of the deployment
	missesTok, missesSess := cacheCount(t, peer, "tokrev", "miss"), cacheCount(t, peer, "sessrev", "miss")
	hitsTok := cacheCount(t, peer, "tokrev", "hit")

	require.Equal(t, http.StatusOK, peer.As(tok).Do("GET", "/api/v1/me/record", nil).Status)
	assert.Equal(t, missesTok, cacheCount(t, peer, "tokrev", "miss"), "no deny-list miss on the token's first use")
	assert.Equal(t, missesSess, cacheCount(t, peer, "sessrev", "miss"), "nor on its session's")
	assert.Equal(t, hitsTok+1, cacheCount(t, peer, "tokrev", "hit"))

	require.Equal(t, http.StatusNoContent, a.As(tok).Do("POST", "/api/v1/auth/logout", nil).Status)
	assert.Equal(t, http.StatusUnauthorized, peer.As(tok).Do("GET", "/api/v1/me/record", nil).Status, "revoked on every instance")
}
