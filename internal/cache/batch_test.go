package cache

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"skillrecord/internal/redistest"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadBatch_ConcurrentGetsShareRoundTripsAndKeepTheirOwnValues(t *testing.T) {
	c, _ := openTest(t, Config{Addrs: requireRedis(t), ReadBatchers: 1})
	l := NewLoader[string](c, "batch", time.Minute)
	ctx := context.Background()
	const keys, readers, rounds = 50, 64, 20
	for i := range keys {
		_, err := l.Get(ctx, strconv.Itoa(i), func(context.Context) (string, error) { return "value-" + strconv.Itoa(i), nil })
		require.NoError(t, err)
	}
	if _, cluster := c.Client().(*redis.ClusterClient); cluster {
		t.Log("on Redis Cluster the batch is a pipeline of one MGET a read: the MGET count is not checked")
	}
	m := &redistest.Calls{}
	c.Client().AddHook(m)
	groupsBefore, itemsBefore := c.batch.Stats()

	var wg sync.WaitGroup
	var wrong, loads atomic.Int64
	for r := range readers {
		wg.Go(func() {
			for i := range rounds {
				k := (r*rounds + i) % keys
				v, err := l.Get(ctx, strconv.Itoa(k), func(context.Context) (string, error) { loads.Add(1); return "loaded", nil })
				if err != nil || v != "value-"+strconv.Itoa(k) {
					wrong.Add(1)
				}
			}
		})
	}
	wg.Wait()
	assert.Zero(t, wrong.Load(), "every read answered with its own key's value")
	assert.Zero(t, loads.Load(), "every read was a hit")
	if _, cluster := c.Client().(*redis.ClusterClient); !cluster {
		assert.Less(t, m.Commands("mget"), int64(readers*rounds), "reads queued together shared an MGET")
	}
	groups, items := c.batch.Stats()
	assert.EqualValues(t, readers*rounds, items-itemsBefore, "one hand-over a read")
	assert.LessOrEqual(t, groups-groupsBefore, items-itemsBefore)
}

func TestReadBatch_PrefetchedReadsTravelTogether(t *testing.T) {
	c, _ := openTest(t, Config{Addrs: requireRedis(t), ReadBatchers: 2})
	tokens := NewLoader[bool](c, "tok", time.Minute)
	records := NewLoader[string](c, "rec", time.Minute)
	ctx := context.Background()
	_, err := records.Get(ctx, "w1", func(context.Context) (string, error) { return "summary", nil })
	require.NoError(t, err)
	_, err = tokens.Get(ctx, "jti1", func(context.Context) (bool, error) { return false, nil })
	require.NoError(t, err)
	_, itemsBefore := c.batch.Stats()

	rctx := records.Prefetch(ctx, "w1")
	revoked, err := tokens.Get(rctx, "jti1", func(context.Context) (bool, error) { t.Fatal("hit expected"); return true, nil })
	require.NoError(t, err)
	assert.False(t, revoked)
	v, err := records.Get(rctx, "w1", func(context.Context) (string, error) { t.Fatal("hit expected"); return "", nil })
	require.NoError(t, err)
	assert.Equal(t, "summary", v)
	_, items := c.batch.Stats()
	assert.EqualValues(t, 1, items-itemsBefore, "the request's two reads were one hand-over")
}

func TestReadBatch_RedisDownAnswersFromTheSource(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t)) // nothing listens there
	c, _ := openTest(t, Config{Addrs: []string{addr}, DialTimeout: 200 * time.Millisecond, ReadBatchers: 2})
	l := NewLoader[int](c, "n", time.Minute)
	var wg sync.WaitGroup
	var wrong atomic.Int64
	for i := range 16 {
		wg.Go(func() {
			v, err := l.Get(context.Background(), strconv.Itoa(i), func(context.Context) (int, error) { return i, nil })
			if err != nil || v != i {
				wrong.Add(1)
			}
		})
	}
	wg.Wait()
	assert.Zero(t, wrong.Load())
}

func TestReadBatch_AfterCloseReadsAnswerFromTheSource(t *testing.T) {
	c, err := Open(context.Background(), Config{Addrs: requireRedis(t), KeyPrefix: testPrefix(), ReadBatchers: 1}, nil, nil)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	l := NewLoader[int](c, "n", time.Minute)
	v, err := l.Get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil })
	require.NoError(t, err)
	assert.Equal(t, 7, v)
}

func TestConfig_NegativeReadBatchersIsRefused(t *testing.T) {
	_, err := Open(context.Background(), Config{Addrs: []string{"127.0.0.1:1"}, ReadBatchers: -1}, nil, nil)
	require.ErrorIs(t, err, ErrConfig)
}
