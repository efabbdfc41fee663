package cache

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// Codec turns values of type T into bytes stored in Redis and back.
type Codec[T any] interface {
	Encode(T) ([]byte, error)
	Decode([]byte) (T, error)
}

// JSONCodec is the default Codec: encoding/json.
type JSONCodec[T any] struct{}

// Encode marshals v as JSON.
func (JSONCodec[T]) Encode(v T) ([]byte, error) { return json.Marshal(v) }

// Decode unmarshals JSON into a new T.
func (JSONCodec[T]) Decode(b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// Sealer encrypts and authenticates cached values that carry personal data. It is
// implemented elsewhere (an AES-GCM keyring); this package only calls it. aad is the
// full Redis key of the value, so a sealed value cannot be moved to another key.
type Sealer interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(blob, aad []byte) ([]byte, error)
}

// Loader is a typed cache-aside reader for one kind of derived data, such as a worker's
// record summary. It is safe for concurrent use. Create it with NewLoader.
type Loader[T any] struct {
	c      *Cache
	name   string
	prefix string // KeyPrefix + "{" + name + ":"
	ttl    time.Duration
	ttlMS  string // ttl in milliseconds, as a script argument
	codec  Codec[T]
	sealer Sealer
	m      loaderMetrics
	group  singleflight.Group
	// epoch is incremented by every Invalidate of this Loader and is part of the
	// singleflight key, so a Get that starts after an Invalidate never joins a load
	// that began before it, even when Redis could not be told.
	epoch atomic.Uint64
}

// Option configures a Loader.
type Option func(*loaderOptions)

type loaderOptions struct {
	codec  any // a Codec[T] for the Loader's T
	sealer Sealer
}

// WithCodec sets the Codec of a Loader (default JSONCodec). Its T must be the Loader's
// T; NewLoader panics otherwise.
func WithCodec[T any](codec Codec[T]) Option {
	return func(o *loaderOptions) { o.codec = codec }
}

// WithSealer makes the Loader store Seal(encoded value, aad = full Redis key) and open
// it on read. Use it for every value that carries personal data.
func WithSealer(s Sealer) Option {
	return func(o *loaderOptions) { o.sealer = s }
}

// NewLoader returns a Loader whose values live ttl in Redis. name labels its metrics and
// is part of its keys; it must be non-empty and consist of letters, digits, '_', '-' or
// '.'. NewLoader panics on a bad name, a ttl under one millisecond or a mismatched
// WithCodec: these are programming errors.
func NewLoader[T any](c *Cache, name string, ttl time.Duration, opts ...Option) *Loader[T] {
	if !validName(name) {
		panic(fmt.Sprintf("cache: invalid loader name %q", name))
	}
	if ttl < time.Millisecond {
		panic(fmt.Sprintf("cache: loader %s: ttl %v is under 1ms", name, ttl))
	}
	var o loaderOptions
	for _, opt := range opts {
		opt(&o)
	}
	codec := Codec[T](JSONCodec[T]{})
	if o.codec != nil {
		cd, ok := o.codec.(Codec[T])
		if !ok {
			var zero T
			panic(fmt.Sprintf("cache: loader %s: codec %T is not a Codec[%T]", name, o.codec, zero))
		}
		codec = cd
	}
	return &Loader[T]{
		c:      c,
		name:   name,
		prefix: c.cfg.KeyPrefix + "{" + name + ":",
		ttl:    ttl,
		ttlMS:  strconv.FormatInt(ttl.Milliseconds(), 10),
		codec:  codec,
		sealer: o.sealer,
		m:      c.metrics.forLoader(name),
	}
}

func validName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		ok := r == '_' || r == '-' || r == '.' ||
			('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// Name returns the Loader's name.
func (l *Loader[T]) Name() string { return l.name }

// TTL returns how long values live in Redis.
func (l *Loader[T]) TTL() time.Duration { return l.ttl }

// Keys returns the Redis keys of key: the value and its generation counter. Both share
// the hash tag {name:key}.
func (l *Loader[T]) Keys(key string) (value, generation string) {
	var b strings.Builder
	b.Grow(len(l.prefix) + len(key) + len("}:gen"))
	b.WriteString(l.prefix)
	b.WriteString(key)
	b.WriteString("}:gen")
	gk := b.String()
	return gk[:len(gk)-len(":gen")], gk
}
