package cache

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type person struct {
	Name string `json:"name"`
	SSN  string `json:"ssn"`
}

func TestSealerStoresOnlySealedBytes(t *testing.T) {
	c, _ := openReal(t)
	s := newAESSealer(t)
	l := NewLoader[person](c, "worker", time.Minute, WithSealer(s))
	ctx := context.Background()
	want := person{Name: "Zhang San", SSN: "370402199001011234"}
	load := func(context.Context) (person, error) { return want, nil }

	got, err := l.Get(ctx, "p1", load)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	vk, _ := l.Keys("p1")
	raw, err := c.Client().Get(ctx, vk).Bytes()
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, []byte(want.SSN)), "raw Redis value contains the SSN")
	assert.False(t, bytes.Contains(raw, []byte(want.Name)), "raw Redis value contains the name")
	plain, err := s.Open(raw, []byte(vk))
	require.NoError(t, err, "the stored value is sealed with aad = full key")
	assert.JSONEq(t, `{"name":"Zhang San","ssn":"370402199001011234"}`, string(plain))

	// The hit path opens the sealed value.
	got, err = l.Get(ctx, "p1", func(context.Context) (person, error) {
		t.Error("unexpected load")
		return person{}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, want, got)

	// A sealed value moved to another key does not open there: counted, reloaded, healed.
	vk2, _ := l.Keys("p2")
	require.NoError(t, c.Client().Set(ctx, vk2, raw, time.Minute).Err())
	other := person{Name: "Li Si", SSN: "370402199202022345"}
	got, err = l.Get(ctx, "p2", func(context.Context) (person, error) { return other, nil })
	require.NoError(t, err)
	assert.Equal(t, other, got)
	assert.EqualValues(t, 1, counter(c, "worker", ResultError))
	assert.EqualValues(t, 1, errCounter(c, "worker", opDecode))
	healed, err := c.Client().Get(ctx, vk2).Bytes()
	require.NoError(t, err)
	plain, err = s.Open(healed, []byte(vk2))
	require.NoError(t, err)
	assert.Contains(t, string(plain), "Li Si")
}

// upperCodec is a non-JSON codec, to check that WithCodec is used.
type upperCodec struct{}

func (upperCodec) Encode(s string) ([]byte, error) { return []byte("U:" + s), nil }
func (upperCodec) Decode(b []byte) (string, error) {
	return string(bytes.TrimPrefix(b, []byte("U:"))), nil
}

func TestWithCodec(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[string](c, "codec", time.Minute, WithCodec[string](upperCodec{}))
	ctx := context.Background()
	got, err := l.Get(ctx, "k", func(context.Context) (string, error) { return "v", nil })
	require.NoError(t, err)
	assert.Equal(t, "v", got)
	vk, _ := l.Keys("k")
	raw, err := c.Client().Get(ctx, vk).Result()
	require.NoError(t, err)
	assert.Equal(t, "U:v", raw)

	assert.Panics(t, func() { NewLoader[int](c, "codec", time.Minute, WithCodec[string](upperCodec{})) })
	assert.Panics(t, func() { NewLoader[int](c, "bad name", time.Minute) })
	assert.Panics(t, func() { NewLoader[int](c, "x", 0) })
}
