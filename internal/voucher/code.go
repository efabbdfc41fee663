package voucher

import (
	"crypto/ed25519"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// CodeTTL is how long a shown code is good for.
const CodeTTL = 5 * time.Minute

// Signer is the service's signing key material (keys.Material): the current Ed25519 key and
// the public keys still accepted, by key id.
type Signer interface {
	Current() (string, ed25519.PrivateKey)
	PublicKey(kid string) (ed25519.PublicKey, bool)
}

// codePrefix marks the payload's format.
const codePrefix = "v1"

// Sign returns the code of the voucher good until expires: the payload "v1|kid|id|unix"
// and its Ed25519 signature, each base64url, joined by ".". Nothing is stored.
func Sign(k Signer, voucherID string, expires time.Time) string {
	kid, priv := k.Current()
	payload := []byte(strings.Join([]string{codePrefix, kid, voucherID, strconv.FormatInt(expires.Unix(), 10)}, "|"))
	sig := ed25519.Sign(priv, payload)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// Verify returns the voucher id of a code signed by a key still accepted and not expired at
// now; false for a forged, malformed or stale one.
func Verify(k Signer, code string, now time.Time) (string, bool) {
	p64, s64, ok := strings.Cut(strings.TrimSpace(code), ".")
	if !ok || len(code) > 512 {
		return "", false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	sig, err2 := base64.RawURLEncoding.DecodeString(s64)
	if err1 != nil || err2 != nil {
		return "", false
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 4 || parts[0] != codePrefix {
		return "", false
	}
	pub, ok := k.PublicKey(parts[1])
	if !ok || !ed25519.Verify(pub, payload, sig) {
		return "", false
	}
	exp, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return "", false
	}
	return parts[2], validID(parts[2])
}
