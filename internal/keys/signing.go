package keys

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
)

// SigningKey is an Ed25519 key pair with its key id. It prints, logs and marshals to JSON as
// its public part only.
type SigningKey struct {
	ID      string // RFC 7638 JWK thumbprint of Public; the `kid` of tokens
	Private ed25519.PrivateKey
	Public  ed25519.PublicKey
}

// newSigningKey derives the key pair from a 32-byte Ed25519 seed.
func newSigningKey(seed []byte) SigningKey {
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	return SigningKey{ID: Thumbprint(pub), Private: priv, Public: pub}
}

// Thumbprint returns the RFC 7638 JWK thumbprint of an Ed25519 public key (RFC 8037): base64url
// without padding of SHA-256 of {"crv":"Ed25519","kty":"OKP","x":"<base64url of the key>"}.
func Thumbprint(pub ed25519.PublicKey) string {
	canonical := `{"crv":"Ed25519","kty":"OKP","x":"` + base64.RawURLEncoding.EncodeToString(pub) + `"}`
	sum := sha256.Sum256([]byte(canonical))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// JWK returns the public key as a JSON Web Key for signature verification.
func (k SigningKey) JWK() JWK {
	return JWK{
		Kty: "OKP",
		Crv: "Ed25519",
		X:   base64.RawURLEncoding.EncodeToString(k.Public),
		Kid: k.ID,
		Use: "sig",
		Alg: "EdDSA",
	}
}

// Format prints the key as its id only, whatever the verb, so that the private key never ends
// up in a formatted string.
func (k SigningKey) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "keys.SigningKey{ID: %s}", k.ID)
}

// LogValue logs the key as its id only.
func (k SigningKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kid", k.ID))
}

// MarshalJSON encodes the key as its public JWK, never the private key.
func (k SigningKey) MarshalJSON() ([]byte, error) {
	return json.Marshal(k.JWK())
}
