package pii

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, KeySize)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return k
}

func newKeyring(t testing.TB, current []byte, previous ...[]byte) *Keyring {
	t.Helper()
	k, err := NewKeyring(current, previous...)
	require.NoError(t, err)
	return k
}

func TestNewKeyringKeyLength(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		bad := bytes.Repeat([]byte{0xAB}, n)
		_, err := NewKeyring(bad)
		require.Error(t, err, "current key of %d bytes", n)
		if n > 0 {
			assert.NotContains(t, err.Error(), hex.EncodeToString(bad))
			assert.NotContains(t, err.Error(), string(bad))
		}

		_, err = NewKeyring(newKey(t), newKey(t), bad)
		require.Error(t, err, "previous key of %d bytes", n)
		assert.Contains(t, err.Error(), "previous data key 2")
	}
}

func TestCurrentKeyID(t *testing.T) {
	key := newKey(t)
	k := newKeyring(t, key)
	sum := sha256.Sum256(key)
	assert.Equal(t, hex.EncodeToString(sum[:4]), k.CurrentKeyID())
	assert.Len(t, k.CurrentKeyID(), 8)
	// Stable: a keyring from the same key has the same id.
	assert.Equal(t, k.CurrentKeyID(), newKeyring(t, key).CurrentKeyID())
}

func TestKeyringDuplicatePreviousKeysIgnored(t *testing.T) {
	cur, old := newKey(t), newKey(t)
	k := newKeyring(t, cur, old, cur, old)
	assert.Len(t, k.KeyIDs(), 2)
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := newKeyring(t, newKey(t))
	for _, pt := range [][]byte{nil, {}, []byte("张三"), []byte("11010519491231002X"), bytes.Repeat([]byte{0}, 4096)} {
		blob, err := k.Seal(pt, []byte("workers.name"))
		require.NoError(t, err)
		assert.Len(t, blob, len(pt)+Overhead)
		assert.Equal(t, Version, blob[0])
		assert.Equal(t, k.CurrentKeyID(), hex.EncodeToString(blob[1:5]))
		got, err := k.Open(blob, []byte("workers.name"))
		require.NoError(t, err)
		assert.Equal(t, len(pt), len(got))
		assert.True(t, bytes.Equal(pt, got))
		assert.False(t, k.NeedsRotation(blob))
	}
}

func TestSealStringOpenString(t *testing.T) {
	k := newKeyring(t, newKey(t))
	blob, err := k.SealString("欧阳娜娜", "workers.name")
	require.NoError(t, err)
	s, err := k.OpenString(blob, "workers.name")
	require.NoError(t, err)
	assert.Equal(t, "欧阳娜娜", s)

	_, err = k.OpenString(blob, "workers.phone")
	assert.ErrorIs(t, err, ErrCorrupt)
}

func TestOpenDetectsTamperingEverywhere(t *testing.T) {
	k := newKeyring(t, newKey(t))
	aad := []byte("workers.ssn")
	blob, err := k.Seal([]byte("11010519491231002X"), aad)
	require.NoError(t, err)

	part := func(i int) string {
		switch {
		case i == 0:
			return "version"
		case i < headerSize:
			return "key id"
		case i < prefixSize:
			return "nonce"
		case i < len(blob)-tagSize:
			return "ciphertext"
		default:
			return "tag"
		}
	}
	for i := range blob {
		for _, mask := range []byte{0x01, 0x80, 0xFF} {
			bad := bytes.Clone(blob)
			bad[i] ^= mask
			pt, err := k.Open(bad, aad)
			require.Error(t, err, "byte %d (%s) ^ %#x", i, part(i), mask)
			assert.Nil(t, pt)
			if part(i) == "key id" {
				assert.ErrorIs(t, err, ErrUnknownKey, "byte %d", i)
			} else {
				assert.ErrorIs(t, err, ErrCorrupt, "byte %d (%s)", i, part(i))
			}
		}
	}
	// The original still opens: nothing above changed it.
	_, err = k.Open(blob, aad)
	require.NoError(t, err)
}

func TestOpenRejectsShortAndGarbledBlobs(t *testing.T) {
	k := newKeyring(t, newKey(t))
	blob, err := k.Seal([]byte("x"), nil)
	require.NoError(t, err)
	for n := 0; n < len(blob); n++ {
		_, err := k.Open(blob[:n], nil)
		assert.ErrorIs(t, err, ErrCorrupt, "truncated to %d bytes", n)
		assert.False(t, k.NeedsRotation(blob[:n]))
	}
	// Extra bytes after the tag.
	_, err = k.Open(append(bytes.Clone(blob), 0), nil)
	assert.ErrorIs(t, err, ErrCorrupt)
	// Another version with the current key id.
	v2 := bytes.Clone(blob)
	v2[0] = 0x02
	_, err = k.Open(v2, nil)
	assert.ErrorIs(t, err, ErrCorrupt)
	assert.False(t, k.NeedsRotation(v2))
	// Random garbage.
	garbage := newKey(t)
	_, err = k.Open(garbage, nil)
	assert.Error(t, err)
}

func TestOpenWrongAAD(t *testing.T) {
	k := newKeyring(t, newKey(t))
	blob, err := k.Seal([]byte("13800138000"), []byte("workers.phone"))
	require.NoError(t, err)
	for _, aad := range [][]byte{nil, []byte(""), []byte("workers.name"), []byte("workers.phone "), []byte("Workers.phone")} {
		_, err := k.Open(blob, aad)
		assert.ErrorIs(t, err, ErrCorrupt, "aad %q", aad)
	}
}

func TestOpenUnderDifferentKeyring(t *testing.T) {
	a := newKeyring(t, newKey(t))
	b := newKeyring(t, newKey(t))
	blob, err := a.Seal([]byte("secret"), nil)
	require.NoError(t, err)
	_, err = b.Open(blob, nil)
	assert.ErrorIs(t, err, ErrUnknownKey)
	assert.NotContains(t, err.Error(), "secret")
}

func TestRotation(t *testing.T) {
	oldKey, newKeyBytes := newKey(t), newKey(t)
	oldRing := newKeyring(t, oldKey)
	blob, err := oldRing.SealString("张三", "workers.name")
	require.NoError(t, err)

	rotated := newKeyring(t, newKeyBytes, oldKey)
	assert.NotEqual(t, oldRing.CurrentKeyID(), rotated.CurrentKeyID())
	assert.Equal(t, []string{rotated.CurrentKeyID(), oldRing.CurrentKeyID()}, rotated.KeyIDs())

	s, err := rotated.OpenString(blob, "workers.name")
	require.NoError(t, err)
	assert.Equal(t, "张三", s)
	assert.True(t, rotated.NeedsRotation(blob))

	resealed, err := rotated.SealString(s, "workers.name")
	require.NoError(t, err)
	assert.False(t, rotated.NeedsRotation(resealed))
	assert.Equal(t, rotated.CurrentKeyID(), hex.EncodeToString(resealed[1:5]))

	// The old keyring does not know the new key.
	_, err = oldRing.Open(resealed, []byte("workers.name"))
	assert.ErrorIs(t, err, ErrUnknownKey)

	// Once the old key is dropped, old values no longer open.
	_, err = newKeyring(t, newKeyBytes).Open(blob, []byte("workers.name"))
	assert.ErrorIs(t, err, ErrUnknownKey)
}

func TestSealUsesFreshNonces(t *testing.T) {
	k := newKeyring(t, newKey(t))
	seen := map[string]bool{}
	nonces := map[string]bool{}
	for range 1000 {
		blob, err := k.SealString("11010519491231002X", "workers.ssn")
		require.NoError(t, err)
		require.False(t, seen[string(blob)], "same ciphertext twice")
		require.False(t, nonces[string(blob[headerSize:prefixSize])], "same nonce twice")
		seen[string(blob)] = true
		nonces[string(blob[headerSize:prefixSize])] = true
	}
}

func TestCiphertextDoesNotContainPlaintext(t *testing.T) {
	k := newKeyring(t, newKey(t))
	for _, pt := range []string{"11010519491231002X", "张三", "A12345678", "13800138000"} {
		blob, err := k.SealString(pt, "workers.x")
		require.NoError(t, err)
		assert.False(t, bytes.Contains(blob, []byte(pt)), "%q in clear", pt)
		// Nor any 4-byte run of it.
		for i := 0; i+4 <= len(pt); i++ {
			assert.False(t, bytes.Contains(blob[prefixSize:], []byte(pt[i:i+4])), "run %d of %q", i, pt)
		}
	}
}

func TestKeyringConcurrentUse(t *testing.T) {
	oldKey := newKey(t)
	old := newKeyring(t, oldKey)
	oldBlob, err := old.SealString("old", "t.c")
	require.NoError(t, err)
	k := newKeyring(t, newKey(t), oldKey)

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				want := fmt.Sprintf("worker %d value %d", g, i)
				blob, err := k.SealString(want, "t.c")
				if !assert.NoError(t, err) {
					return
				}
				got, err := k.OpenString(blob, "t.c")
				if !assert.NoError(t, err) || !assert.Equal(t, want, got) {
					return
				}
				got, err = k.OpenString(oldBlob, "t.c")
				if !assert.NoError(t, err) || !assert.Equal(t, "old", got) {
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestKeyringPrintsNoKeyMaterial(t *testing.T) {
	key := newKey(t)
	k := newKeyring(t, key)
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	logger.Info("keyring", "k", k, "v", *k)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("keyring", "k", k)
	holder := struct{ K *Keyring }{k}
	for _, verb := range []string{"%v", "%+v", "%#v", "%x", "%s"} {
		fmt.Fprintf(&buf, verb+"\n", k)
		fmt.Fprintf(&buf, verb+"\n", *k)
		fmt.Fprintf(&buf, verb+"\n", holder)
	}
	out := buf.String()
	assert.Contains(t, out, k.CurrentKeyID())
	assert.NotContains(t, out, hex.EncodeToString(key))
	assert.False(t, bytes.Contains(buf.Bytes(), key))
}
