package cached_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/cache"
	"skillrecord/internal/cached"
	"skillrecord/internal/certificate"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/keys"
	"skillrecord/internal/redistest"
	"skillrecord/internal/testenv"
)

// countingLookups counts the reads that reach the database.
type countingLookups struct {
	next certificate.Lookups
	n    atomic.Int64
}

func (c *countingLookups) Facts(ctx context.Context, no string) (certificate.Facts, error) {
	c.n.Add(1)
	return c.next.Facts(ctx, no)
}

func TestVerifications_AWarmReadIsOneRedisRoundTripAndNoSQL(t *testing.T) {
	ctx := context.Background()
	db := testenv.MySQL(t)
	m, err := keys.Load(keys.Settings{}, t.TempDir(), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	c, err := cache.Open(ctx, cache.Config{Addrs: testenv.RedisAddrs(t), KeyPrefix: testenv.KeyPrefix(t)}, nil, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	store := db.Certificates(m)
	require.NoError(t, store.WithTx(ctx, func(ctx context.Context) error {
		return store.Create(ctx, certificate.Record{
			Certificate: certificate.Certificate{
				No: "CW-000001", Name: "张三", Type: certificate.TypeSpecialAbility, OccupationCode: "6-18-01-01",
				OccupationName: "焊工", IssuedOn: civil.Date{Y: 2026, M: 1, D: 2}, Status: certificate.StatusValid,
				IssuerOrgID: "0190a1b2-0000-7000-8000-0000000000c3",
			},
			WorkerID: "0190a1b2-0000-7000-8000-0000000000a3", CreatedAt: time.Now().UTC(),
		})
	}))

	sql := &countingLookups{next: store}
	v := cached.NewVerifications(c, sql, time.Minute, m.Data, slog.New(slog.DiscardHandler))
	first, err := v.Facts(ctx, "CW-000001")
	require.NoError(t, err)
	assert.Equal(t, "张三", first.HolderName)
	_, err = v.Facts(ctx, "CW-404404")
	assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
	require.Equal(t, int64(2), sql.n.Load())

	hook := &redistest.Calls{}
	c.Client().AddHook(hook)
	again, err := v.Facts(ctx, "CW-000001")
	require.NoError(t, err)
	assert.Equal(t, first, again)
	_, err = v.Facts(ctx, "CW-404404")
	assert.Equal(t, errs.KindNotFound, errs.KindOf(err), "an unknown number is cached as absent")
	assert.Equal(t, int64(2), hook.Trips(), "one round trip per warm read")
	assert.Equal(t, int64(2), sql.n.Load(), "and no SQL")

	v.Forget(ctx, "CW-000001")
	_, err = v.Facts(ctx, "CW-000001")
	require.NoError(t, err)
	assert.Equal(t, int64(3), sql.n.Load(), "a forgotten entry is read again")
}
