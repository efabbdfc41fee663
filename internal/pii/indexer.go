package pii

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"strings"
	"sync"
)

// IndexSize is the length in bytes of a blind index.
const IndexSize = sha256.Size

// maxPooledMsg bounds the scratch buffer kept in the pool, so that one huge value does not pin
// memory.
const maxPooledMsg = 1 << 10

// Indexer computes blind indexes: HMAC-SHA256 under a secret index key, so that a personal
// value can be looked up by equality without being stored in clear. It is safe for concurrent
// use.
type Indexer struct {
	id   keyID
	pool sync.Pool // of *indexState
}

// indexState is one reusable HMAC with a scratch buffer for its message.
type indexState struct {
	mac hash.Hash // HMAC-SHA256 keyed with the index key
	msg []byte
}

// NewIndexer returns an Indexer for a 32-byte index key. The index key must differ from the
// data keys.
func NewIndexer(key []byte) (*Indexer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("pii: index key: want %d bytes, got %d", KeySize, len(key))
	}
	k := append([]byte(nil), key...)
	ix := &Indexer{id: deriveKeyID(k)}
	ix.pool.New = func() any { return &indexState{mac: hmac.New(sha256.New, k)} }
	return ix, nil
}

// KeyID returns the id of the index key (8 hex characters), for telling index generations
// apart; it reveals nothing useful about the key.
func (ix *Indexer) KeyID() string { return ix.id.String() }

// Index returns HMAC-SHA256(key, domain + "\x00" + value), 32 bytes. The domain separates kinds
// of value ("ssn", "card", "phone") so that equal strings of different kinds do not match.
// Callers normalise the value first (for example an SSN's trailing x to X). The domain is a
// constant chosen by the programmer and must not contain a NUL byte; Index panics if it does,
// because the encoding would no longer be unambiguous.
func (ix *Indexer) Index(domain, value string) []byte {
	if strings.IndexByte(domain, 0) >= 0 {
		panic("pii: index domain contains a NUL byte")
	}
	st := ix.pool.Get().(*indexState)
	st.msg = append(append(append(st.msg[:0], domain...), 0), value...)
	st.mac.Reset()
	st.mac.Write(st.msg)
	sum := st.mac.Sum(make([]byte, 0, IndexSize))
	if cap(st.msg) <= maxPooledMsg {
		clear(st.msg) // do not keep personal data around in the pool
		ix.pool.Put(st)
	}
	return sum
}
