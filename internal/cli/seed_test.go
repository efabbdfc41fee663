package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/cli"
	"skillrecord/internal/indicator"
	"skillrecord/internal/org"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// seedEnv is the environment of a seed run against MariaDB (dsn set) or the embedded SQLite
// in dataDir.
func seedEnv(dsn, dataDir string) map[string]string {
	return map[string]string{"SKILLRECORD_MYSQL_DSN": dsn, "SKILLRECORD_DATA_DIR": dataDir, "SKILLRECORD_LOG_LEVEL": "warn"}
}

func runSeed(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := cli.Run(context.Background(), cli.Env{
		Version: "test", Args: append([]string{"seed"}, args...), Getenv: func(k string) string { return env[k] },
		Stdout: &out, Stderr: &errOut, Now: time.Now,
	})
	return out.String() + errOut.String(), err
}

// openSeeded opens the database a seed run filled.
func openSeeded(t *testing.T, env map[string]string) *sqlstore.DB {
	t.Helper()
	cfg := sqlstore.Config{DataDir: env["SKILLRECORD_DATA_DIR"], MaxOpenConns: 4, MaxIdleConns: 4}
	if env["SKILLRECORD_MYSQL_DSN"] != "" {
		cfg = testenv.DBConfig(env["SKILLRECORD_MYSQL_DSN"])
	}
	db, err := sqlstore.Open(context.Background(), cfg, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func count(t *testing.T, db *sqlstore.DB, query string) int {
	t.Helper()
	var n int
	require.NoError(t, db.SQL().QueryRow(query).Scan(&n), query)
	return n
}

func TestSeed_FillsAnEmptyDatabaseThroughTheUseCases(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"mysql":  seedEnv(testenv.NewDatabase(t), t.TempDir()),
		"sqlite": seedEnv("", t.TempDir()),
	} {
		t.Run(name, func(t *testing.T) {
			out, err := runSeed(t, env, "--workers", "300", "--institutions", "6", "--seed", "7")
			require.NoError(t, err, out)
			assert.Contains(t, out, "seed: workers: 300 in")
			assert.Contains(t, out, "seed: done in")

			db := openSeeded(t, env)
			assert.Equal(t, 300, count(t, db, "SELECT COUNT(*) FROM workers"))
			assert.Equal(t, 300, count(t, db, "SELECT COUNT(*) FROM worker_cards"))
			assert.Equal(t, 6+1+1+1, count(t, db, "SELECT COUNT(*) FROM organizations"), "6 institutions, an evaluation organisation, an employer, a college")
			assert.Equal(t, 8, count(t, db, "SELECT COUNT(DISTINCT training_type) FROM trainings"), "every training type")
			assert.Positive(t, count(t, db, "SELECT COUNT(*) FROM trainings WHERE (trainee_groups & 1) <> 0"), "migrant workers")
			assert.Equal(t, 4, count(t, db, "SELECT COUNT(DISTINCT type) FROM certificates"), "every certificate type")
			assert.Equal(t, 5, count(t, db, "SELECT COUNT(DISTINCT level) FROM certificates WHERE type = 'skill_level'"), "every level")
			assert.Equal(t, 4, count(t, db, "SELECT COUNT(DISTINCT kind) FROM org_designations"), "every designation kind")
			assert.Equal(t, 1, count(t, db, "SELECT COUNT(*) FROM seed_runs WHERE finished_at IS NOT NULL"))
			assert.GreaterOrEqual(t, count(t, db, "SELECT COUNT(*) FROM credit_entries WHERE source_type = 'training'"),
				count(t, db, "SELECT COUNT(*) FROM trainings WHERE result = 'passed'"), "passed records posted their credits through the ledger")

			today := time.Now().In(time.FixedZone("CST", 8*3600))
			c, err := db.Reports().IndicatorCounts(context.Background(), indicator.Period{
				From: indicator.Date{Y: 2021, M: 1, D: 1}, To: indicator.Date{Y: today.Year(), M: today.Month(), D: today.Day()}})
			require.NoError(t, err)
			assert.Positive(t, c.SubsidizedTrainings)
			assert.Positive(t, c.HighSkillWorkers)
			assert.Positive(t, c.Designations["public_training_base"])
		})
	}
}

func TestSeed_RefusesADatabaseWithDataItDidNotMake(t *testing.T) {
	env := seedEnv("", t.TempDir())
	db := openSeeded(t, env)
	_, err := db.Migrate(context.Background())
	require.NoError(t, err)
	now := time.Now().UTC()
	require.NoError(t, db.CreateOrg(context.Background(), org.Org{ID: "0190a1b2-0000-7000-8000-0000000000aa", Name: "真实机构",
		Type: org.TrainingInstitution, CreditCode: "91350100M000100Y43", RegionCode: "370400", Status: org.Active, CreatedAt: now, UpdatedAt: now}))

	out, err := runSeed(t, env, "--workers", "10", "--institutions", "1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refusing to seed")
	assert.Contains(t, err.Error(), "organizations")
	assert.NotContains(t, out, "seed: run")
	assert.Equal(t, 0, count(t, db, "SELECT COUNT(*) FROM seed_runs"))
	assert.Equal(t, 0, count(t, db, "SELECT COUNT(*) FROM workers"))
}

func TestSeed_ASecondRunAddsNewPeople(t *testing.T) {
	env := seedEnv("", t.TempDir())
	for range 2 {
		out, err := runSeed(t, env, "--workers", "40", "--institutions", "2", "--seed", "9")
		require.NoError(t, err, out)
	}
	db := openSeeded(t, env)
	assert.Equal(t, 80, count(t, db, "SELECT COUNT(*) FROM workers"), "the second run's people are new, although the seed is the same")
	assert.Equal(t, 2, count(t, db, "SELECT COUNT(*) FROM seed_runs"))
}

func TestSeed_WithoutCertificatesFillsTheRegistryAndRecordsOnly(t *testing.T) {
	env := seedEnv("", t.TempDir())
	out, err := runSeed(t, env, "--workers", "60", "--institutions", "2", "--certificates=false")
	require.NoError(t, err, out)
	assert.Contains(t, out, "certificates: none issued")
	db := openSeeded(t, env)
	assert.Equal(t, 60, count(t, db, "SELECT COUNT(*) FROM workers"))
	assert.Positive(t, count(t, db, "SELECT COUNT(*) FROM trainings"))
	assert.Equal(t, 0, count(t, db, "SELECT COUNT(*) FROM certificates"))
}

// TestSeed_RecordsPerWorkerSetsTheMeanOfTheRecords: --records-per-worker 5 gives each
// cardholder 0 to 10 records, 5 on average (4 M cardholders make the 20 M records of the scale
// goal), still through the training use case (credits posted, some voided); without it a
// cardholder has 0 to 5.
func TestSeed_RecordsPerWorkerSetsTheMeanOfTheRecords(t *testing.T) {
	perWorker := func(db *sqlstore.DB, agg string) int {
		return count(t, db, "SELECT COALESCE("+agg+"(n), 0) FROM (SELECT w.id, COUNT(t.id) AS n FROM workers w "+
			"LEFT JOIN trainings t ON t.worker_id = w.id GROUP BY w.id) x")
	}

	env := seedEnv(testenv.NewDatabase(t), t.TempDir())
	out, err := runSeed(t, env, "--workers", "400", "--institutions", "3", "--certificates=false", "--records-per-worker", "5")
	require.NoError(t, err, out)
	db := openSeeded(t, env)
	records := count(t, db, "SELECT COUNT(*) FROM trainings")
	assert.InDelta(t, 2000, records, 200, "about 5 records a cardholder")
	assert.Equal(t, 10, perWorker(db, "MAX"), "up to twice the mean")
	assert.Equal(t, 0, perWorker(db, "MIN"), "some cardholders have none")
	assert.Equal(t, 11, count(t, db, "SELECT COUNT(DISTINCT n) FROM (SELECT w.id, COUNT(t.id) AS n FROM workers w "+
		"LEFT JOIN trainings t ON t.worker_id = w.id GROUP BY w.id) x"), "every count from 0 to 10")
	assert.Positive(t, count(t, db, "SELECT COUNT(*) FROM trainings WHERE status = 'void'"), "some voided through the use case")
	assert.GreaterOrEqual(t, count(t, db, "SELECT COUNT(*) FROM credit_entries WHERE source_type = 'training'"),
		count(t, db, "SELECT COUNT(*) FROM trainings WHERE result = 'passed'"), "passed records posted their credits")

	env = seedEnv(testenv.NewDatabase(t), t.TempDir())
	out, err = runSeed(t, env, "--workers", "400", "--institutions", "3", "--certificates=false")
	require.NoError(t, err, out)
	db = openSeeded(t, env)
	assert.Equal(t, 5, perWorker(db, "MAX"), "the city's shape: 0 to 5 records")
	assert.InDelta(t, 1.56*400, count(t, db, "SELECT COUNT(*) FROM trainings"), 100, "1.56 a cardholder on average")
}

func TestSeed_BadFlagsAreAUsageError(t *testing.T) {
	for _, args := range [][]string{{"--workers", "0"}, {"--institutions", "0"}, {"--workers", "x"}, {"extra"},
		{"--records-per-worker", "-1"}, {"--records-per-worker", "51"}} {
		_, err := runSeed(t, seedEnv("", t.TempDir()), args...)
		assert.ErrorIs(t, err, cli.ErrUsage, strings.Join(args, " "))
	}
}

// TestSeed_ASecondConcurrentRunIsRefused holds the seed lease as a running seed does: a seed
// started meanwhile is refused with a clear error and writes nothing; once the lease is given
// up, seed runs.
func TestSeed_ASecondConcurrentRunIsRefused(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"mysql":  seedEnv(testenv.NewDatabase(t), t.TempDir()),
		"sqlite": seedEnv("", t.TempDir()),
	} {
		t.Run(name, func(t *testing.T) {
			db := openSeeded(t, env)
			ctx := context.Background()
			_, err := db.Migrate(ctx)
			require.NoError(t, err)
			running, err := db.AcquireLease(ctx, "seed", time.Minute, time.Now)
			require.NoError(t, err)

			out, err := runSeed(t, env, "--workers", "10", "--institutions", "1")
			require.Error(t, err)
			assert.Contains(t, err.Error(), "another `skillrecord seed` is running")
			assert.NotContains(t, out, "seed: run")
			assert.Equal(t, 0, count(t, db, "SELECT COUNT(*) FROM seed_runs"))

			require.NoError(t, running.Release(ctx))
			out, err = runSeed(t, env, "--workers", "10", "--institutions", "1")
			require.NoError(t, err, out)
			assert.Equal(t, 0, count(t, db, "SELECT COUNT(*) FROM leases"), "the run gave its lease up")
		})
	}
}
