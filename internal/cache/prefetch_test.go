package cache

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrefetch_AnnouncedReadRidesAlongAndIsUsedOnce(t *testing.T) {
	c, _ := openReal(t)
	tokens := NewLoader[bool](c, "tok", time.Minute)
	records := NewLoader[string](c, "rec", time.Minute)
	ctx := context.Background()
	loads := 0
	loadRecord := func(context.Context) (string, error) { loads++; return "summary-v1", nil }
	_, err := records.Get(ctx, "w1", loadRecord)
	require.NoError(t, err)
	_, err = tokens.Get(ctx, "jti1", func(context.Context) (bool, error) { return false, nil })
	require.NoError(t, err)
	require.Equal(t, 1, loads)

	rctx := records.Prefetch(ctx, "w1")
	_, toFetch := takeReads(rctx, "")
	require.Len(t, toFetch, 1, "announced, not yet fetched")

	revoked, err := tokens.Get(rctx, "jti1", func(context.Context) (bool, error) { t.Fatal("hit expected"); return true, nil })
	require.NoError(t, err)
	assert.False(t, revoked)
	fetched, toFetch := takeReads(rctx, "")
	assert.Nil(t, fetched)
	assert.Empty(t, toFetch, "the announced read was fetched with the token read")

	v, err := records.Get(rctx, "w1", loadRecord)
	require.NoError(t, err)
	assert.Equal(t, "summary-v1", v)
	assert.Equal(t, 1, loads, "answered from the prefetched value")

	// Used once: an invalidation later in the request is seen by the next Get.
	require.NoError(t, records.Invalidate(ctx, "w1"))
	v, err = records.Get(rctx, "w1", func(context.Context) (string, error) { loads++; return "summary-v2", nil })
	require.NoError(t, err)
	assert.Equal(t, "summary-v2", v)
}

func TestPrefetch_AMissStillLoads(t *testing.T) {
	c, _ := openReal(t)
	tokens := NewLoader[bool](c, "tok", time.Minute)
	records := NewLoader[string](c, "rec", time.Minute)
	ctx := records.Prefetch(context.Background(), "cold")
	_, err := tokens.Get(ctx, "jti2", func(context.Context) (bool, error) { return false, nil })
	require.NoError(t, err)
	v, err := records.Get(ctx, "cold", func(context.Context) (string, error) { return "from-db", nil })
	require.NoError(t, err)
	assert.Equal(t, "from-db", v)
	v, err = records.Get(context.Background(), "cold", func(context.Context) (string, error) { return "again", nil })
	require.NoError(t, err)
	assert.Equal(t, "from-db", v, "the loaded value was stored as usual")
}

func TestLoader_PrimeIsAHitUnlessTheKeyWasInvalidated(t *testing.T) {
	c, _ := openReal(t)
	l := NewLoader[bool](c, "tok", time.Minute)
	ctx := context.Background()
	noLoad := func(context.Context) (bool, error) { t.Fatal("hit expected"); return true, nil }

	l.Prime(ctx, "fresh", false)
	v, err := l.Get(ctx, "fresh", noLoad)
	require.NoError(t, err)
	assert.False(t, v)

	// An invalidation wins over a later prime: the database is asked.
	require.NoError(t, l.Invalidate(ctx, "revoked"))
	l.Prime(ctx, "revoked", false)
	v, err = l.Get(ctx, "revoked", func(context.Context) (bool, error) { return true, nil })
	require.NoError(t, err)
	assert.True(t, v)
}
