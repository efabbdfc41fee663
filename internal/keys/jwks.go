package keys

// JWK is a public Ed25519 JSON Web Key (RFC 8037) as published for token verification.
type JWK struct {
	Kty string `json:"kty"` // "OKP"
	Crv string `json:"crv"` // "Ed25519"
	X   string `json:"x"`   // base64url public key, no padding
	Kid string `json:"kid"` // RFC 7638 thumbprint
	Use string `json:"use"` // "sig"
	Alg string `json:"alg"` // "EdDSA"
}

// JWKSet is a JSON Web Key Set (RFC 7517), the body of the service's public key endpoint.
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// JWKS returns the public signing keys: the current key first, then the previous ones.
func (m *Material) JWKS() JWKSet {
	set := JWKSet{Keys: make([]JWK, 0, 1+len(m.PreviousSigning))}
	set.Keys = append(set.Keys, m.Signing.JWK())
	for _, k := range m.PreviousSigning {
		set.Keys = append(set.Keys, k.JWK())
	}
	return set
}
