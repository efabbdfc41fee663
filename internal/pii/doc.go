// Package pii protects personal data (SSN, name, card number, phone) at rest.
//
// A Keyring seals values with AES-256-GCM under the current data key and opens values sealed
// under the current or any previous key, so that keys can be rotated without rewriting every row
// at once: NeedsRotation tells a re-encryption job which values are still under an old key. A
// sealed value is
//
//	0x01 (version) | key id (4 bytes) | nonce (12 bytes) | ciphertext | GCM tag (16 bytes)
//
// where the key id is the first 4 bytes of SHA-256 of the key. The associated data passed to
// Seal and Open binds a value to its place (for example "workers.name"), so a value copied into
// another column or table does not open there.
//
// An Indexer computes a keyed blind index (HMAC-SHA256) so that an encrypted value can be found
// by equality without storing it in clear: the same domain and value always give the same 32
// bytes, and nothing about the value can be learned from them without the key.
//
// Keys never leave this package in any printable form: the types format and log as their key
// ids only, and no error message contains a key, a plaintext or a ciphertext.
//
// This package is pure cryptography over bytes. It must not know about HTTP, SQL, caches or
// configuration (no gin, gorm, go-redis); loading keys is the job of package keys.
package pii
