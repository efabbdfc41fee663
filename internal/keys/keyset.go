package keys

import "crypto/ed25519"

// Current returns the id and private key that new tokens and credentials are signed with.
func (m *Material) Current() (string, ed25519.PrivateKey) { return m.Signing.ID, m.Signing.Private }

// PublicKey returns the public key with id kid, current or previous.
func (m *Material) PublicKey(kid string) (ed25519.PublicKey, bool) { return m.SigningKeyByID(kid) }
