package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
	"skillrecord/internal/ratelimit"
	"skillrecord/internal/testenv"
)

// TestQuota_WorksOnTheInProcessRedisServer runs the counting script on the embedded server of
// the zero-setup mode, which must count in "Redis" like the real one, not fall back.
func TestQuota_WorksOnTheInProcessRedisServer(t *testing.T) {
	c, err := cache.Open(context.Background(), cache.Config{KeyPrefix: "sr:"}, testenv.Logger(t), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	q := ratelimit.NewQuota(c, ratelimit.NewLocal(1000), time.Hour, testenv.Logger(t), nil, time.Now)
	k := auth.ThrottleKey{Key: "verify:org:o1", Limit: 1}
	ctx := context.Background()
	assert.Zero(t, q.Spend(ctx, k).Wait)
	assert.Positive(t, q.Spend(ctx, k).Wait)
	n, err := c.Client().Get(ctx, "sr:quota:verify:org:o1").Int()
	require.NoError(t, err)
	assert.Equal(t, 2, n, "counted in the server")
}
