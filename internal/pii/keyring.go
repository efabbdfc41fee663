package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Key sizes and the format of sealed values.
const (
	// Version is the first byte of every value sealed by this package.
	Version byte = 0x01

	// KeySize is the length in bytes of a data key and of an index key.
	KeySize = 32

	keyIDSize  = 4
	nonceSize  = 12
	tagSize    = 16
	headerSize = 1 + keyIDSize
	prefixSize = headerSize + nonceSize

	// Overhead is how many bytes Seal adds to the plaintext.
	Overhead = prefixSize + tagSize
)

// Errors returned by Open. They never carry the key, the plaintext or the ciphertext.
var (
	// ErrUnknownKey means the value was sealed under a key that is not in the keyring.
	ErrUnknownKey = errors.New("pii: sealed value uses an unknown key id")
	// ErrCorrupt means the value is too short, has an unknown version, was altered, or was
	// sealed for different associated data.
	ErrCorrupt = errors.New("pii: sealed value is corrupt or bound to another place")
)

type keyID [keyIDSize]byte

func (id keyID) String() string { return hex.EncodeToString(id[:]) }

// deriveKeyID returns the first 4 bytes of SHA-256(key): stable, derived, and of no use for
// recovering the key.
func deriveKeyID(key []byte) keyID {
	sum := sha256.Sum256(key)
	var id keyID
	copy(id[:], sum[:keyIDSize])
	return id
}

type aeadKey struct {
	id   keyID
	aead cipher.AEAD
}

// Keyring seals values under its current key and opens values sealed under the current or a
// previous key. It is immutable and safe for concurrent use.
type Keyring struct {
	current aeadKey
	all     []aeadKey // current first, then previous keys in the order given
}

// NewKeyring builds a keyring from the current data key and any previous keys that values may
// still be sealed under. Every key must be 32 bytes. A previous key equal to the current key or
// to another previous key is ignored; two different keys with the same key id are refused.
// The keys are not retained: only the expanded AES key schedule is kept.
func NewKeyring(current []byte, previous ...[]byte) (*Keyring, error) {
	cur, err := newAEADKey(current)
	if err != nil {
		return nil, fmt.Errorf("pii: current data key: %w", err)
	}
	k := &Keyring{current: cur, all: []aeadKey{cur}}
	seen := map[[sha256.Size]byte]bool{sha256.Sum256(current): true}
	for i, p := range previous {
		ak, err := newAEADKey(p)
		if err != nil {
			return nil, fmt.Errorf("pii: previous data key %d: %w", i+1, err)
		}
		sum := sha256.Sum256(p)
		if seen[sum] {
			continue
		}
		seen[sum] = true
		for _, other := range k.all {
			if other.id == ak.id {
				return nil, fmt.Errorf("pii: previous data key %d: key id %s is already used by another key", i+1, ak.id)
			}
		}
		k.all = append(k.all, ak)
	}
	return k, nil
}

func newAEADKey(key []byte) (aeadKey, error) {
	if len(key) != KeySize {
		return aeadKey{}, fmt.Errorf("want %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return aeadKey{}, fmt.Errorf("aes: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return aeadKey{}, fmt.Errorf("gcm: %w", err)
	}
	return aeadKey{id: deriveKeyID(key), aead: aead}, nil
}

// CurrentKeyID returns the id of the key that Seal uses, as 8 lower-case hex characters.
func (k *Keyring) CurrentKeyID() string { return k.current.id.String() }

// KeyIDs returns the ids of every key in the keyring, the current one first.
func (k *Keyring) KeyIDs() []string {
	ids := make([]string, len(k.all))
	for i, ak := range k.all {
		ids[i] = ak.id.String()
	}
	return ids
}

// Seal encrypts plaintext under the current key with a fresh random nonce. aad names the place
// the value belongs to (for example "workers.name") and must be given again to Open. The
// version byte and key id are authenticated together with aad.
//
// Nonces are random (96 bits), so one key should seal no more than about 2^32 values; rotate
// the data key well before that.
func (k *Keyring) Seal(plaintext, aad []byte) ([]byte, error) {
	out := make([]byte, prefixSize, prefixSize+len(plaintext)+tagSize)
	out[0] = Version
	copy(out[1:headerSize], k.current.id[:])
	nonce := out[headerSize:prefixSize]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("pii: random nonce: %w", err)
	}
	return k.current.aead.Seal(out, nonce, plaintext, boundAAD(out[:headerSize], aad)), nil
}

// Open decrypts a value made by Seal under any key of the keyring. It returns ErrUnknownKey if
// the key id is not in the keyring and ErrCorrupt if the value is short, has another version,
// was altered, or was sealed with different aad.
func (k *Keyring) Open(blob, aad []byte) ([]byte, error) {
	ak, err := k.keyFor(blob)
	if err != nil {
		return nil, err
	}
	pt, err := ak.aead.Open(nil, blob[headerSize:prefixSize], blob[prefixSize:], boundAAD(blob[:headerSize], aad))
	if err != nil {
		return nil, ErrCorrupt
	}
	return pt, nil
}

// SealString is Seal for a string value and a string aad.
func (k *Keyring) SealString(s, aad string) ([]byte, error) {
	return k.Seal([]byte(s), []byte(aad))
}

// OpenString is Open returning a string.
func (k *Keyring) OpenString(blob []byte, aad string) (string, error) {
	pt, err := k.Open(blob, []byte(aad))
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

// NeedsRotation reports whether blob is a sealed value under a key other than the current one,
// so that it should be opened and sealed again. It does not authenticate the value; a value
// that is not a sealed value at all (too short, unknown version) reports false, and Open will
// report it as corrupt.
func (k *Keyring) NeedsRotation(blob []byte) bool {
	if len(blob) < Overhead || blob[0] != Version {
		return false
	}
	return keyID(blob[1:headerSize]) != k.current.id
}

// keyFor checks the framing of blob and returns the key it was sealed under.
func (k *Keyring) keyFor(blob []byte) (*aeadKey, error) {
	if len(blob) < Overhead || blob[0] != Version {
		return nil, ErrCorrupt
	}
	id := keyID(blob[1:headerSize])
	for i := range k.all {
		if k.all[i].id == id {
			return &k.all[i], nil
		}
	}
	return nil, ErrUnknownKey
}

// boundAAD returns header || aad, the associated data actually given to GCM.
func boundAAD(header, aad []byte) []byte {
	b := make([]byte, 0, len(header)+len(aad))
	b = append(b, header...)
	return append(b, aad...)
}
