package cached_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/cache"
	"skillrecord/internal/cached"
	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// instance is one service instance's cache over the shared Redis and database.
type instance struct {
	c *cache.Cache
	v *cached.Verifications
}

// staleWorld is a certificate in a shared database, a Redis owned by the test and a way to
// start instances on them.
type staleWorld struct {
	db     *sqlstore.DB
	store  *sqlstore.CertificateStore
	keys   *keys.Material
	redis  *testenv.RedisServer
	prefix string
}

func newStaleWorld(t *testing.T) *staleWorld {
	t.Helper()
	m, err := keys.Load(keys.Settings{}, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	w := &staleWorld{db: testenv.MySQL(t), keys: m, redis: testenv.StartRedisServer(t), prefix: testenv.KeyPrefix(t)}
	w.store = w.db.Certificates(m)
	ctx := context.Background()
	require.NoError(t, w.store.WithTx(ctx, func(ctx context.Context) error {
		return w.store.Create(ctx, certificate.Record{
			Certificate: certificate.Certificate{
				No: "ST-000001", Name: "李四", Type: certificate.TypeSpecialAbility, OccupationCode: "6-18-01-01",
				OccupationName: "焊工", IssuedOn: civil.Date{Y: 2026, M: 1, D: 2}, Status: certificate.StatusValid,
				IssuerOrgID: "0190a1b2-0000-7000-8000-0000000000c4",
			},
			WorkerID: "0190a1b2-0000-7000-8000-0000000000a4", CreatedAt: time.Now().UTC(),
		})
	}))
	return w
}

// start opens an instance's cache (replaying every replayEvery) with the database's journal.
func (w *staleWorld) start(t *testing.T, replayEvery time.Duration) *instance {
	t.Helper()
	c, err := cache.Open(context.Background(), cache.Config{
		Addrs: []string{w.redis.Addr}, KeyPrefix: w.prefix, OpTimeout: 200 * time.Millisecond,
		BreakerFailures: 3, BreakerCooldown: 300 * time.Millisecond, ReplayInterval: replayEvery,
	}, nil, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	c.UseJournal(context.Background(), w.db.CacheJournal())
	return &instance{c: c, v: cached.NewVerifications(c, w.store, time.Minute, w.keys.Data, slog.New(slog.DiscardHandler))}
}

// revoked answers whether the instance verifies the certificate as revoked.
func (i *instance) revoked(t *testing.T) bool {
	t.Helper()
	f, err := i.v.Facts(context.Background(), "ST-000001")
	require.NoError(t, err)
	return f.Revoked
}

// revokeWhileRedisIsDown pauses Redis, lets a's reads open its circuit, revokes the
// certificate through a (its invalidation fails without reaching Redis) and closes a, as a
// crash would, before it can replay anything.
func (w *staleWorld) revokeWhileRedisIsDown(t *testing.T, a *instance) {
	t.Helper()
	ctx := context.Background()
	w.redis.Pause()
	for a.c.Healthy() {
		require.False(t, a.revoked(t))
	}
	rec, err := w.store.Get(ctx, "ST-000001")
	require.NoError(t, err)
	rec.Certificate, err = rec.Revoke("annulled by the issuer", time.Now())
	require.NoError(t, err)
	require.NoError(t, w.store.WithTx(ctx, func(ctx context.Context) error { return w.store.SaveRevocation(ctx, rec) }))
	a.v.Forget(ctx, "ST-000001")
	require.False(t, a.c.Trusted())
	require.True(t, a.revoked(t), "the instance that failed reads the database")
	require.NoError(t, a.c.Close())
}

// TestStale_AnotherInstanceReplaysTheFailedInvalidation: instance A fails to invalidate a
// certificate it revoked during a Redis stall and dies. Instance B made no request during the
// stall; only its replay loop noticed Redis was gone. B never answers the stale "valid" after
// Redis comes back, replays A's journal entry, and then answers "revoked" from the cache.
func TestStale_AnotherInstanceReplaysTheFailedInvalidation(t *testing.T) {
	w := newStaleWorld(t)
	a := w.start(t, time.Hour)
	b := w.start(t, 50*time.Millisecond)
	require.False(t, b.revoked(t))
	require.False(t, b.revoked(t)) // warm: "valid" is cached

	w.revokeWhileRedisIsDown(t, a)
	w.redis.Resume()
	for !b.c.Trusted() || !b.c.Healthy() {
		require.True(t, b.revoked(t), "the stale entry is never answered")
		time.Sleep(10 * time.Millisecond)
	}
	pending, err := w.db.CacheJournal().Pending(context.Background(), 10)
	require.NoError(t, err)
	assert.Empty(t, pending, "B applied A's journal entry")
	for range 3 {
		assert.True(t, b.revoked(t))
	}
}

// TestStale_AStartingInstanceReplaysTheJournal: when the instance that failed dies and the
// others trusted Redis throughout, the next instance to start replays the journal before it
// serves, which repairs Redis for all of them.
func TestStale_AStartingInstanceReplaysTheJournal(t *testing.T) {
	w := newStaleWorld(t)
	a := w.start(t, time.Hour)
	b := w.start(t, time.Hour) // saw nothing: its replay loop does not run during the test
	require.False(t, b.revoked(t))
	require.False(t, b.revoked(t))

	w.revokeWhileRedisIsDown(t, a)
	w.redis.Resume()
	c := w.start(t, time.Hour)
	assert.True(t, c.c.Trusted(), "the start-up replay reached Redis")
	assert.True(t, c.revoked(t))
	assert.True(t, b.revoked(t), "Redis no longer holds the stale entry")
}
