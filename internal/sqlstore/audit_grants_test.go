package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/audit"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// readmeGrants returns the SQL blocks of deploy/README.md's "Append-only audit tables"
// section: the migration user, the application user, and the query writing the other grants.
func readmeGrants(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moduleRoot(t), "deploy", "README.md"))
	require.NoError(t, err)
	doc := string(b)
	start := strings.Index(doc, "## Append-only audit tables")
	require.GreaterOrEqual(t, start, 0, "deploy/README.md documents the audit grants")
	section := doc[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	require.Len(t, blocks, 3)
	return blocks
}

// statements splits a block into statements without comments or indentation.
func statements(block string) []string {
	var b strings.Builder
	for _, line := range strings.Split(block, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(strings.TrimSpace(line) + " ")
	}
	var out []string
	for _, s := range strings.Split(b.String(), ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func mysqlErrNumber(err error) uint16 {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

// TestAuditGrants_TheDocumentedAppUserAppendsButCannotChangeOrRemove runs deploy/README.md's
// statements on a fresh database (as an existing installation whose user had every right) and
// then works as that user: serve's migration check, the stores, and refused UPDATE, DELETE and
// TRUNCATE on the append-only tables, while other tables keep full DML.
func TestAuditGrants_TheDocumentedAppUserAppendsButCannotChangeOrRemove(t *testing.T) {
	blocks := readmeGrants(t)
	ctx := context.Background()
	dsn := testenv.NewDatabase(t)
	migrator, err := sqlstore.Open(ctx, testenv.DBConfig(dsn), testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = migrator.Close() })
	_, err = migrator.Migrate(ctx) // the migration user's `migrate up`
	require.NoError(t, err)

	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	user, password := "sr_app_"+hex.EncodeToString(suffix), "pw-"+hex.EncodeToString(suffix)
	root, err := sql.Open("mysql", testenv.ServerDSN())
	require.NoError(t, err)
	t.Cleanup(func() { _ = root.Close() })
	t.Cleanup(func() { _, _ = root.Exec("DROP USER IF EXISTS '" + user + "'@'%'") })
	adapt := strings.NewReplacer(
		"''skillrecord''@''10.0.0.%''", "''"+user+"''@''%''",
		"'skillrecord'@'10.0.0.%'", "'"+user+"'@'%'",
		"table_schema = 'skillrecord'", "table_schema = '"+cfg.DBName+"'",
		"skillrecord.", cfg.DBName+".",
		"'a-long-random-password'", "'"+password+"'",
	)
	// What "First start" gave the user until now.
	_, err = root.Exec("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'")
	require.NoError(t, err)
	_, err = root.Exec("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON " + cfg.DBName + ".* TO '" + user + "'@'%'")
	require.NoError(t, err)
	for _, stmt := range statements(blocks[1]) {
		_, err := root.Exec(adapt.Replace(stmt))
		require.NoError(t, err, adapt.Replace(stmt))
	}
	generator := strings.TrimSuffix(strings.TrimSpace(blocks[2]), ";") // one query: its strings hold a ;
	rows, err := root.Query(adapt.Replace(generator))
	require.NoError(t, err)
	var grants []string
	for rows.Next() {
		var g string
		require.NoError(t, rows.Scan(&g))
		grants = append(grants, g)
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	require.NotEmpty(t, grants)
	for _, g := range grants {
		_, err := root.Exec(g)
		require.NoError(t, err, g)
	}

	appCfg := cfg.Clone()
	appCfg.User, appCfg.Passwd = user, password
	app, err := sqlstore.Open(ctx, testenv.DBConfig(appCfg.FormatDSN()), testenv.Logger(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = app.Close() })
	applied, err := app.Migrate(ctx)
	require.NoError(t, err, "serve's check for pending migrations works as the application user")
	assert.Empty(t, applied)

	w := uuid.NewString()
	_, err = app.Audit().Append(ctx, audit.Event{At: time.Now(), ActorID: "adm", ActorRole: "admin", Action: "worker.record_read", WorkerIDs: []string{w}, Status: 200})
	require.NoError(t, err, "the application appends")
	got, err := app.Audit().Events(ctx, audit.Filter{WorkerID: w}, 0, 10)
	require.NoError(t, err, "and reads")
	require.Len(t, got, 1)
	require.NoError(t, app.Access(testKeys(t)).RecordAccess(ctx, accessEvent(w, "admin_record", "reason", time.Now())))

	const denied = 1142 // ER_TABLEACCESS_DENIED_ERROR
	for _, q := range []string{
		"UPDATE audit_events SET status = 500",
		"DELETE FROM audit_events",
		"UPDATE audit_event_workers SET worker_id = 'x'",
		"DELETE FROM audit_event_workers",
		"UPDATE access_events SET what = 'x'",
		"DELETE FROM access_events",
		"TRUNCATE TABLE audit_events",
		"DROP TABLE access_events",
	} {
		_, err := app.SQL().Exec(q)
		assert.Equalf(t, uint16(denied), mysqlErrNumber(err), "%s must be denied, got %v", q, err)
	}
	_, err = app.SQL().Exec("UPDATE credit_accounts SET balance = balance")
	assert.NoError(t, err, "other tables keep full DML")
	_, err = app.SQL().Exec("DELETE FROM credit_accounts WHERE worker_id = 'none'")
	assert.NoError(t, err)
	assert.Equal(t, 1, count(t, migrator, "SELECT COUNT(*) FROM audit_events"), "the event is still there")
}
