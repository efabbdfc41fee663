package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Environment variables of the cluster tests (`make test-cluster`, which starts a private
// Galera cluster with .ci/galera). When GaleraEnv is unset the cluster tests are skipped: the
// default suite has no cluster.
const (
	GaleraEnv    = "SKILLRECORD_TEST_GALERA_DSNS" // the nodes' server DSNs, comma-separated, without a database
	GaleraDirEnv = "SKILLRECORD_TEST_GALERA_DIR"  // the cluster's state directory, for tests that kill a node
)

// GaleraDSNs returns the server DSNs of the test Galera cluster's nodes, skipping the test when
// none is configured and failing it when a configured node does not answer.
func GaleraDSNs(t testing.TB) []string {
	t.Helper()
	env := os.Getenv(GaleraEnv)
	if env == "" {
		t.Skipf("no Galera cluster: set %s (make test-cluster does)", GaleraEnv)
	}
	var dsns []string
	for _, d := range strings.Split(env, ",") {
		if d = strings.TrimSpace(d); d != "" {
			dsns = append(dsns, d)
		}
	}
	if len(dsns) < 2 {
		t.Fatalf("%s names %d node(s); the cluster tests need at least two", GaleraEnv, len(dsns))
	}
	return dsns
}

// GaleraDatabase creates an empty database on the cluster (through node 1; Galera replicates
// the CREATE) and returns one DSN for it per node, in the order of GaleraDSNs. The database is
// dropped when the test ends.
func GaleraDatabase(t testing.TB) []string {
	t.Helper()
	servers := GaleraDSNs(t)
	name := fmt.Sprintf("%s%d_%s", dbPrefix, time.Now().Unix(), randHex(4))
	admin, err := sql.Open("mysql", servers[0])
	if err != nil {
		t.Fatalf("bad %s: %v", GaleraEnv, err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		t.Fatalf("Galera node 1 (%s): create test database: %v", hostOf(servers[0]), err)
	}
	t.Cleanup(func() {
		// Through whichever node still answers: a test may have killed one.
		for _, s := range servers {
			a, err := sql.Open("mysql", s)
			if err != nil {
				continue
			}
			_, err = a.Exec("DROP DATABASE IF EXISTS " + name)
			_ = a.Close()
			if err == nil {
				return
			}
		}
		t.Errorf("drop Galera test database %s: no node answered", name)
	})
	out := make([]string, len(servers))
	for i, s := range servers {
		cfg, err := mysql.ParseDSN(s)
		if err != nil {
			t.Fatalf("bad %s: %v", GaleraEnv, err)
		}
		// The other nodes apply the CREATE shortly after node 1 answered: a read with
		// wsrep_sync_wait waits for that, so that the database exists on every node on return.
		waitCfg := cfg.Clone()
		waitCfg.Params = map[string]string{"wsrep_sync_wait": "1"}
		if err := schemaVisible(ctx, waitCfg.FormatDSN(), name); err != nil {
			t.Fatalf("Galera node %d (%s): %v", i+1, cfg.Addr, err)
		}
		cfg.DBName = name
		out[i] = cfg.FormatDSN()
	}
	return out
}

func schemaVisible(ctx context.Context, dsn, name string) error {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("database %s is not there after a synchronised read", name)
	}
	return nil
}

// GaleraKill kills node n (1-based) of the test cluster with SIGKILL, by the PID .ci/galera
// recorded, and restarts it when the test ends, waiting until it has rejoined; the other cluster
// tests find three nodes again.
func GaleraKill(t testing.TB, n int) {
	t.Helper()
	dir := os.Getenv(GaleraDirEnv)
	if dir == "" {
		t.Fatalf("%s is not set: killing a node needs the state directory of .ci/galera", GaleraDirEnv)
	}
	galera(t, "kill", dir, n)
	t.Cleanup(func() { galera(t, "restart", dir, n) })
}

func galera(t testing.TB, cmd, dir string, n int) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", ".ci", "galera")
	out, err := exec.Command(script, cmd, dir, fmt.Sprint(n)).CombinedOutput()
	if err != nil {
		t.Fatalf(".ci/galera %s node %d: %v\n%s", cmd, n, err, out)
	}
}
