package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// TestQueryTimeout_StatementWaitingOnALockGivesUp holds a row lock in one transaction and
// checks that a statement needing the same row fails after the query timeout instead of
// waiting for MariaDB's own lock timeout.
func TestQueryTimeout_StatementWaitingOnALockGivesUp(t *testing.T) {
	dsn := testenv.NewDatabase(t)
	cfg := testenv.DBConfig(dsn)
	cfg.QueryTimeout = 300 * time.Millisecond
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, cfg, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Migrate(ctx)
	require.NoError(t, err)
	_, err = auth.CreateAdmin(ctx, db, "locked.one", "admin-pass-2026", time.Now())
	require.NoError(t, err)

	conn, err := db.SQL().Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "BEGIN")
	require.NoError(t, err)
	_, err = conn.ExecContext(ctx, "SELECT * FROM admins WHERE username = 'locked.one' FOR UPDATE")
	require.NoError(t, err)
	defer func() { _, _ = conn.ExecContext(ctx, "ROLLBACK") }()

	start := time.Now()
	err = db.WithTx(ctx, func(ctx context.Context) error {
		_, err := auth.CreateAdmin(ctx, db, "locked.one", "admin-pass-2027", time.Now()) // waits on the unique key
		return err
	})
	require.Error(t, err)
	assert.Less(t, time.Since(start), 10*time.Second, "gave up long before the server's lock wait timeout")
	assert.NotEqual(t, errs.KindConflict, errs.KindOf(err))
}
