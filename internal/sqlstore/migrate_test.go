package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

func dialects(t *testing.T) map[string]func(testing.TB) *sqlstore.DB {
	return map[string]func(testing.TB) *sqlstore.DB{"mysql": testenv.MySQL, "sqlite": testenv.SQLite}
}

func TestMigrate_UpFromEmptyThenRerunIsNoop(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t) // open migrates from empty
			ctx := context.Background()

			status, err := db.MigrationStatus(ctx)
			require.NoError(t, err)
			require.NotEmpty(t, status)
			for _, s := range status {
				assert.Truef(t, s.Applied, "migration %d applied", s.Version)
			}

			again, err := db.Migrate(ctx)
			require.NoError(t, err)
			assert.Empty(t, again, "re-running migrations applies nothing")

			status2, err := db.MigrationStatus(ctx)
			require.NoError(t, err)
			assert.Equal(t, status, status2)
		})
	}
}

func TestMigrate_BothDialectsHaveTheSameVersions(t *testing.T) {
	ctx := context.Background()
	my, err := testenv.MySQL(t).MigrationStatus(ctx)
	require.NoError(t, err)
	lite, err := testenv.SQLite(t).MigrationStatus(ctx)
	require.NoError(t, err)
	require.Equal(t, len(my), len(lite), "each migration needs a file in both mysql/ and sqlite/")
	for i := range my {
		assert.Equal(t, my[i].Version, lite[i].Version)
	}
}
