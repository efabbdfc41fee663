package keys

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RFC 8037 Appendix A: the Ed25519 key pair and its RFC 7638 thumbprint (A.3).
const (
	rfc8037Seed       = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
	rfc8037Public     = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	rfc8037Thumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
)

func TestThumbprintRFC8037(t *testing.T) {
	pub, err := base64.RawURLEncoding.DecodeString(rfc8037Public)
	require.NoError(t, err)
	assert.Equal(t, rfc8037Thumbprint, Thumbprint(ed25519.PublicKey(pub)))
}

func TestSigningKeyFromRFC8037Seed(t *testing.T) {
	s, _ := explicitSettings(t)
	s.SigningKey = rfc8037Seed // URL-safe, unpadded: accepted
	m, err := Load(s, "", nil)
	require.NoError(t, err)
	assert.Equal(t, rfc8037Public, base64.RawURLEncoding.EncodeToString(m.Signing.Public))
	assert.Equal(t, rfc8037Thumbprint, m.Signing.ID)

	set := m.JWKS()
	require.Len(t, set.Keys, 1)
	assert.Equal(t, JWK{Kty: "OKP", Crv: "Ed25519", X: rfc8037Public, Kid: rfc8037Thumbprint, Use: "sig", Alg: "EdDSA"}, set.Keys[0])

	js, err := json.Marshal(set)
	require.NoError(t, err)
	assert.JSONEq(t, `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"`+rfc8037Public+`","kid":"`+rfc8037Thumbprint+`","use":"sig","alg":"EdDSA"}]}`, string(js))
}

func TestPreviousSigningKeys(t *testing.T) {
	s, _ := explicitSettings(t)
	p1, p2 := randomSecret(t), randomSecret(t)
	// Repeats and the current key among the previous ones are dropped.
	s.PreviousSigningKeys = []string{b64(p1), "", b64(p2), b64(p1), s.SigningKey}
	m, err := Load(s, "", nil)
	require.NoError(t, err)
	require.Len(t, m.PreviousSigning, 2)

	set := m.JWKS()
	require.Len(t, set.Keys, 3)
	assert.Equal(t, m.Signing.ID, set.Keys[0].Kid, "current key first")
	assert.Equal(t, Thumbprint(ed25519.NewKeyFromSeed(p1).Public().(ed25519.PublicKey)), set.Keys[1].Kid)
	assert.Equal(t, Thumbprint(ed25519.NewKeyFromSeed(p2).Public().(ed25519.PublicKey)), set.Keys[2].Kid)

	msg := []byte("token")
	for _, k := range append([]SigningKey{m.Signing}, m.PreviousSigning...) {
		pub, ok := m.SigningKeyByID(k.ID)
		require.True(t, ok, k.ID)
		assert.Equal(t, k.Public, pub)
		assert.True(t, ed25519.Verify(pub, msg, ed25519.Sign(k.Private, msg)))
	}
	for i, jwk := range set.Keys {
		x, err := base64.RawURLEncoding.DecodeString(jwk.X)
		require.NoError(t, err)
		assert.Equal(t, jwk.Kid, Thumbprint(x), "key %d", i)
		assert.Equal(t, "sig", jwk.Use)
		assert.Equal(t, "EdDSA", jwk.Alg)
	}

	_, ok := m.SigningKeyByID("")
	assert.False(t, ok)
	_, ok = m.SigningKeyByID(rfc8037Thumbprint)
	assert.False(t, ok)
}
