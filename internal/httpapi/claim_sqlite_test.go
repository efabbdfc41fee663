package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// TestClaims_TheWholeFlowRunsOnTheEmbeddedSQLite drafts, reviews, pays and disputes a claim on
// the embedded database, whose SQL differs (no locking reads).
func TestClaims_TheWholeFlowRunsOnTheEmbeddedSQLite(t *testing.T) {
	db, err := sqlstore.Open(context.Background(), sqlstore.Config{DataDir: t.TempDir(), MaxOpenConns: 4, MaxIdleConns: 4}, testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.Migrate(context.Background())
	require.NoError(t, err)
	a := apitest.NewApp(t, apitest.Options{DB: db})
	tf := &trainFixture{app: a, admin: a.AdminToken(t)}
	var tok string
	tf.instID, tok = a.OrgToken(t, tf.admin, "training_institution")
	tf.inst = a.As(tok)
	for range 3 {
		tf.people = append(tf.people, apitest.NewPerson())
	}
	a.Register(t, tf.admin, tf.people...)
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	f := &claimFixture{classFixture: &classFixture{trainFixture: tf, loc: loc}}

	id := f.approvedClaim(t, "Q-1")
	f.app.Advance(168 * time.Hour)
	f.reauth(t)
	require.Equal(t, http.StatusOK, f.budget(t, "skills_upgrade_account", 1_000_000).Status)
	paid := f.disburse(id, "GK-Q1")
	require.Equal(t, http.StatusCreated, paid.Status, string(paid.Body))
	worker := f.app.As(f.app.Mint(t, auth.Principal{ID: f.workerID(t, f.people[0]), Role: auth.RoleWorker}))
	subs := worker.Do("GET", "/api/v1/me/subsidies", nil)
	require.Equal(t, http.StatusOK, subs.Status, string(subs.Body))
	line := subs.Map(t)["items"].([]any)[0].(map[string]any)["line_id"].(string)
	raised := worker.Do("POST", "/api/v1/me/disputes", map[string]any{"subject": "subsidy_line", "id": line, "reason": "未参训"})
	require.Equal(t, http.StatusCreated, raised.Status, string(raised.Body))
	res := f.app.As(f.admin).Do("POST", "/api/v1/admin/disputes/"+raised.Map(t)["id"].(string)+"/resolve", map[string]any{"upheld": true, "reason": "属实"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	assert.Equal(t, true, f.app.As(f.admin).Do("POST", "/api/v1/admin/funds/verify", nil).Map(t)["valid"])
	ev := f.app.As(f.admin).Do("GET", "/api/v1/admin/evaluation?from="+f.day(-30)+"&to="+f.day(0), nil)
	require.Equal(t, http.StatusOK, ev.Status, string(ev.Body))
	assert.Len(t, ev.Map(t)["institutions"], 1)
}
