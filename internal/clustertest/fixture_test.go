package clustertest

import (
	"context"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// store opens the test database through one node, migrating it (a no-op once migrated). Its
// sessions wait for the node to have applied every earlier commit before each read
// (wsrep_sync_wait=1, docs/operators.md), as a deployment whose instances read each other's
// writes must: the fixtures write through one instance and sign in through another at once.
func store(t *testing.T, dsn string) *sqlstore.DB {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	cfg.Params = map[string]string{"wsrep_sync_wait": "1"}
	db, err := sqlstore.Open(context.Background(), testenv.DBConfig(cfg.FormatDSN()), testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Migrate(context.Background())
	require.NoError(t, err)
	return db
}

// deployment is two instances of the service, each on its own node of one database, sharing
// keys and Redis as a real deployment behind a balancer does, with one training institution
// signed in on both.
type deployment struct {
	a, b         *apitest.App
	admin        string
	instID       string
	instA, instB *apitest.Client
}

func newDeployment(t *testing.T, dbA, dbB *sqlstore.DB) *deployment {
	t.Helper()
	d := &deployment{a: apitest.NewApp(t, apitest.Options{DB: dbA})}
	d.b = apitest.NewApp(t, apitest.Options{DB: dbB, Peer: d.a})
	d.admin = d.a.AdminToken(t)
	d.instID = d.a.CreateOrg(t, d.admin, "training_institution")
	id, secret := d.a.CreateClient(t, d.admin, d.instID)
	grant := map[string]string{"grant_type": "client_credentials", "client_id": id, "client_secret": secret}
	tokA, _ := d.a.Token(t, grant)
	tokB, _ := d.b.Token(t, grant)
	d.instA, d.instB = d.a.As(tokA), d.b.As(tokB)
	return d
}

// people registers n new cardholders.
func (d *deployment) people(t *testing.T, n int) []apitest.Person {
	t.Helper()
	ps := make([]apitest.Person, n)
	for i := range ps {
		ps[i] = apitest.NewPerson()
	}
	d.a.Register(t, d.admin, ps...)
	return ps
}

// trainingRecord is a valid 40-hour passed record of p, worth 2.5 credits.
func trainingRecord(p apitest.Person, ext string) map[string]any {
	return map[string]any{
		"external_id": ext, "ssn": p.SSN, "name": p.Name, "course_name": "电工（中级）培训",
		"training_type": "job_skills_upgrade", "occupation_code": "6-31-01-03", "occupation_name": "电工",
		"level": 4, "hours": 40, "start_date": "2026-03-01", "end_date": "2026-03-20", "result": "passed",
		"subsidized": true, "subsidy_amount_cents": 120000, "trainee_groups": []string{"youth"},
	}
}
