package redistest_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/redistest"
	"skillrecord/internal/testenv"
)

func TestCalls_CountsRoundTripsAndCommandsByName(t *testing.T) {
	client := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: testenv.RedisAddrs(t)})
	t.Cleanup(func() { _ = client.Close() })
	ctx := context.Background()
	key := testenv.KeyPrefix(t) + "{calls}" // one slot on a cluster
	calls := &redistest.Calls{}
	client.AddHook(calls)

	require.NoError(t, client.Set(ctx, key, "v", 0).Err())
	require.NoError(t, client.MGet(ctx, key, key).Err())
	_, err := client.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.MGet(ctx, key)
		p.Get(ctx, key)
		p.Del(ctx, key)
		return nil
	})
	require.NoError(t, err)

	assert.Equal(t, int64(3), calls.Trips(), "two commands and one pipeline (on a cluster, the node clients' calls are not counted again)")
	assert.Equal(t, int64(2), calls.Commands("mget"), "alone and in the pipeline")
	assert.Equal(t, int64(1), calls.Commands("del"))
	assert.Zero(t, calls.Commands("hgetall"))
}
