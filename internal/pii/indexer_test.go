package pii

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewIndexerKeyLength(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33} {
		_, err := NewIndexer(bytes.Repeat([]byte{0xCD}, n))
		require.Error(t, err)
		if n > 0 {
			assert.NotContains(t, err.Error(), hex.EncodeToString(bytes.Repeat([]byte{0xCD}, n)))
		}
	}
}

func TestIndexIsHMAC(t *testing.T) {
	key := newKey(t)
	ix, err := NewIndexer(key)
	require.NoError(t, err)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("ssn\x0011010519491231002X"))
	assert.Equal(t, mac.Sum(nil), ix.Index("ssn", "11010519491231002X"))
	assert.Len(t, ix.Index("ssn", ""), IndexSize)
}

func TestIndexDeterministic(t *testing.T) {
	key := newKey(t)
	a, err := NewIndexer(key)
	require.NoError(t, err)
	b, err := NewIndexer(key)
	require.NoError(t, err)
	first := a.Index("ssn", "11010519491231002X")
	for range 10 {
		assert.Equal(t, first, a.Index("ssn", "11010519491231002X"))
	}
	assert.Equal(t, first, b.Index("ssn", "11010519491231002X"))
	assert.Equal(t, a.KeyID(), b.KeyID())
}

func TestIndexSeparatesDomainsValuesAndKeys(t *testing.T) {
	a, err := NewIndexer(newKey(t))
	require.NoError(t, err)
	b, err := NewIndexer(newKey(t))
	require.NoError(t, err)
	assert.NotEqual(t, a.KeyID(), b.KeyID())

	v := "A12345678"
	assert.NotEqual(t, a.Index("card", v), a.Index("ssn", v), "domains")
	assert.NotEqual(t, a.Index("card", v), b.Index("card", v), "keys")
	assert.NotEqual(t, a.Index("card", v), a.Index("card", "A12345679"), "values")
	// The separator keeps (domain, value) pairs apart.
	assert.NotEqual(t, a.Index("ab", "c"), a.Index("a", "bc"))
	assert.NotEqual(t, a.Index("ssn", ""), a.Index("ssn", "\x00"))
	// The index does not contain the value.
	assert.False(t, bytes.Contains(a.Index("card", v), []byte(v)))
}

func TestIndexDomainWithNULPanics(t *testing.T) {
	ix, err := NewIndexer(newKey(t))
	require.NoError(t, err)
	assert.Panics(t, func() { ix.Index("ss\x00n", "x") })
}

func TestIndexerConcurrentUse(t *testing.T) {
	ix, err := NewIndexer(newKey(t))
	require.NoError(t, err)
	want := make([][]byte, 50)
	for i := range want {
		want[i] = ix.Index("phone", fmt.Sprint(13800138000+i))
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				for i := range want {
					if !assert.Equal(t, want[i], ix.Index("phone", fmt.Sprint(13800138000+i))) {
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestIndexerPrintsNoKeyMaterial(t *testing.T) {
	key := newKey(t)
	ix, err := NewIndexer(key)
	require.NoError(t, err)
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("ix", "ix", ix)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("ix", "ix", ix)
	for _, verb := range []string{"%v", "%+v", "%#v", "%x"} {
		fmt.Fprintf(&buf, verb+"\n", ix)
		fmt.Fprintf(&buf, verb+"\n", struct{ I *Indexer }{ix})
	}
	assert.Contains(t, buf.String(), ix.KeyID())
	assert.NotContains(t, buf.String(), hex.EncodeToString(key))
	assert.False(t, bytes.Contains(buf.Bytes(), key))
}
