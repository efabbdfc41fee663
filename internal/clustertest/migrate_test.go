package clustertest

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// Two processes started together against two different nodes of a fresh database: GET_LOCK
// would let both migrate (it holds only on its own node); the schema_lock row lets one.
func TestGalera_MigratorsOnTwoNodesMigrateOnce(t *testing.T) {
	for round := range 3 {
		dsns := testenv.GaleraDatabase(t)
		ctx := context.Background()
		nodes := []string{dsns[0], dsns[len(dsns)-1]}
		dbs := make([]*sqlstore.DB, len(nodes))
		for i, dsn := range nodes {
			db, err := sqlstore.Open(ctx, testenv.DBConfig(dsn), testenv.Logger(t))
			require.NoError(t, err)
			t.Cleanup(func() { _ = db.Close() })
			dbs[i] = db
		}
		applied := make([]int, len(dbs))
		errs := make([]error, len(dbs))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				v, err := db.Migrate(ctx)
				applied[i], errs[i] = len(v), err
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			require.NoErrorf(t, err, "round %d: migrator on node %d", round, i)
		}
		migrators, total := 0, 0
		for _, n := range applied {
			total += n
			if n > 0 {
				migrators++
			}
		}
		assert.Equal(t, 1, migrators, "round %d: exactly one process migrates (applied %v)", round, applied)
		for i, db := range dbs {
			status, err := db.MigrationStatus(ctx)
			require.NoError(t, err)
			assert.Equal(t, len(status), total, "round %d: each version applied once", round)
			for _, s := range status {
				assert.Truef(t, s.Applied, "round %d: migration %d applied, seen through node %d", round, s.Version, i)
			}
		}
	}
}
