package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"skillrecord/internal/sqlstore"
)

// Environment variables that point the tests elsewhere than the machine's defaults.
const (
	MySQLEnv = "SKILLRECORD_TEST_MYSQL_DSN"  // server DSN without a database, e.g. root:@tcp(127.0.0.1:3306)/
	RedisEnv = "SKILLRECORD_TEST_REDIS_ADDR" // host:port, or several comma-separated: a Redis Cluster
)

const dbPrefix = "sr_test_"

// ServerDSN returns the DSN of the test MySQL/MariaDB server, without a database.
func ServerDSN() string {
	if v := os.Getenv(MySQLEnv); v != "" {
		return v
	}
	return "root:@tcp(127.0.0.1:3306)/"
}

// RedisAddr returns the test Redis address after checking that it answers. It fails when
// SKILLRECORD_TEST_REDIS_ADDR names a cluster: tests that can run on one use RedisAddrs.
func RedisAddr(t testing.TB) string {
	t.Helper()
	addrs := RedisAddrs(t)
	if len(addrs) != 1 {
		t.Fatalf("%s names a Redis Cluster (%v); this test needs a single node", RedisEnv, addrs)
	}
	return addrs[0]
}

// RedisAddrs returns the test Redis addresses — one for a single node, several for a Redis
// Cluster, as SKILLRECORD_REDIS_ADDRS takes them — after checking that each answers.
func RedisAddrs(t testing.TB) []string {
	t.Helper()
	env := os.Getenv(RedisEnv)
	if env == "" {
		env = "127.0.0.1:6379"
	}
	var addrs []string
	for _, a := range strings.Split(env, ",") {
		if a = strings.TrimSpace(a); a != "" {
			pingRedis(t, a)
			addrs = append(addrs, a)
		}
	}
	return addrs
}

func pingRedis(t testing.TB, addr string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatalf("Redis is not answering at %s (%v): start it (see README, Testing) or set %s", addr, err, RedisEnv)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		t.Fatalf("Redis at %s: %v", addr, err)
	}
	buf := make([]byte, 7)
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != "+PONG\r\n" {
		t.Fatalf("Redis at %s did not answer PING (%q, %v)", addr, buf, err)
	}
}

// KeyPrefix returns a Redis key prefix unique to this test.
func KeyPrefix(t testing.TB) string {
	return "srtest:" + randHex(6) + ":"
}

// NewDatabase creates an empty MariaDB database for this test and returns its DSN; the
// database is dropped when the test ends. Databases left behind by runs that crashed more than
// six hours ago are dropped on the way.
func NewDatabase(t testing.TB) string {
	t.Helper()
	server := ServerDSN()
	admin, err := sql.Open("mysql", server)
	if err != nil {
		t.Fatalf("bad %s: %v", MySQLEnv, err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("MariaDB is not answering at %s (%v): start it (see README, Testing) or set %s", hostOf(server), err, MySQLEnv)
	}
	dropStale(ctx, admin)
	name := fmt.Sprintf("%s%d_%s", dbPrefix, time.Now().Unix(), randHex(4))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("mysql", server)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	cfg, err := mysql.ParseDSN(server)
	if err != nil {
		t.Fatalf("bad %s: %v", MySQLEnv, err)
	}
	cfg.DBName = name
	return cfg.FormatDSN()
}

var staleName = regexp.MustCompile(`^` + dbPrefix + `(\d+)_[0-9a-f]+$`)

func dropStale(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, "SHOW DATABASES LIKE '"+dbPrefix+"%'")
	if err != nil {
		return
	}
	defer rows.Close()
	var stale []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) != nil {
			continue
		}
		if m := staleName.FindStringSubmatch(n); m != nil {
			if ts, _ := strconv.ParseInt(m[1], 10, 64); time.Since(time.Unix(ts, 0)) > 6*time.Hour {
				stale = append(stale, n)
			}
		}
	}
	for _, n := range stale {
		_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n)
	}
}

// DBConfig returns a sqlstore.Config for dsn with test-sized pools.
func DBConfig(dsn string) sqlstore.Config {
	return sqlstore.Config{
		DSN: dsn, MaxOpenConns: 32, MaxIdleConns: 16,
		ConnMaxLifetime: time.Minute, QueryTimeout: 30 * time.Second,
	}
}

// MySQL returns a migrated store on a fresh MariaDB database, closed when the test ends.
func MySQL(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, DBConfig(NewDatabase(t)))
}

// SQLite returns a migrated store on a fresh embedded SQLite file in a temporary directory.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	cfg := sqlstore.Config{DataDir: t.TempDir(), MaxOpenConns: 4, MaxIdleConns: 4, QueryTimeout: 30 * time.Second}
	return open(t, cfg)
}

func open(t testing.TB, cfg sqlstore.Config) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, cfg, Logger(t))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Logger returns a logger that writes through t.Log.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

func hostOf(dsn string) string {
	if cfg, err := mysql.ParseDSN(dsn); err == nil {
		return cfg.Addr
	}
	return "the configured address"
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
