package loadtest_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"skillrecord/internal/auth"
	"skillrecord/internal/config"
	"skillrecord/internal/keys"
	"skillrecord/internal/testenv"
)

// ScaleEnv names the seeded databases the scale run reads, each with the data directory its
// seed ran with (the keys): "name=dir name=dir …", the reference (smallest) first.
const ScaleEnv = "SKILLRECORD_SCALE_DATABASES"

// scaleDB is one seeded database under the scale run: its own instance of the service and
// the sample of its workers whose records are read.
type scaleDB struct {
	name, dir, base                  string
	tokens                           []vegeta.Target // one per sampled worker, each read exactly once
	warm                             []vegeta.Target
	p                                path
	workers, trainings, certificates int64
}

// TestScale_UncachedRecordReadAgainstSize reads the records of a random sample of workers of
// each seeded database (skillrecord seed), each worker exactly once so that every read misses
// the cache, at a fixed modest rate, and prints the latencies and the p99 ratio of each
// database to the first. The databases are read in alternating slices, so that the machine's
// changing load weighs on each alike. It skips unless SKILLRECORD_SCALE_DATABASES is set.
func TestScale_UncachedRecordReadAgainstSize(t *testing.T) {
	spec := os.Getenv(ScaleEnv)
	if spec == "" {
		t.Skip("the scale run is not a test: set " + ScaleEnv + " (see docs/performance.md, Scale)")
	}
	reads := envInt(t, "SKILLRECORD_SCALE_READS", 2000)
	rate := envInt(t, "SKILLRECORD_SCALE_RATE", 50)
	const warmReads = 100
	root, dir := moduleRoot(t), t.TempDir()
	bin := goBuild(t, root, ".", dir+"/skillrecord")

	var dbs []*scaleDB
	for _, f := range strings.Fields(spec) {
		name, dataDir, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("%s: %q is not name=datadir", ScaleEnv, f)
		}
		dbs = append(dbs, &scaleDB{name: name, dir: dataDir})
	}
	for _, d := range dbs {
		d.start(t, bin, reads+warmReads)
		d.warm, d.tokens = d.tokens[:warmReads], d.tokens[warmReads:]
		d.p.name = d.name
	}
	for _, d := range dbs {
		attackAt(t, d.warm, rate, nil)
	}
	// Alternating slices: each database's sample is cut into rounds parts.
	for round := range rounds {
		for _, d := range dbs {
			lo, hi := round*len(d.tokens)/rounds, (round+1)*len(d.tokens)/rounds
			attackAt(t, d.tokens[lo:hi], rate, &d.p)
		}
	}
	for _, d := range dbs {
		d.p.m.Close()
		d.count(t)
	}
	ref := dbs[0]
	fmt.Printf("\nscale run: %d uncached record reads a database (each worker once) at %d/s, in %d alternating slices, after %d warm-up reads\n",
		reads, rate, rounds, warmReads)
	fmt.Printf("| database | workers | training records | certificates | reads | p50 | p90 | p99 | max | p99 ratio |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, d := range dbs {
		m := &d.p.m
		fmt.Printf("| %s | %d | %d | %d | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.2f× |\n", d.name, d.workers, d.trainings, d.certificates,
			m.Requests, ms(m.Latencies.P50), ms(m.Latencies.P90), ms(m.Latencies.P99), ms(m.Latencies.Max),
			float64(m.Latencies.P99)/float64(ref.p.m.Latencies.P99))
		if m.Requests != uint64(reads) {
			t.Errorf("%s: %d reads made, want %d (each sampled worker once)", d.name, m.Requests, reads)
		}
		if m.Success < 1 {
			t.Errorf("%s: success %.4f, status codes %v, errors %v", d.name, m.Success, m.StatusCodes, first(m.Errors, 3))
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// dsn is the DSN of database name on the test server.
func (d *scaleDB) dsn(t *testing.T) string {
	cfg, err := mysql.ParseDSN(testenv.ServerDSN())
	if err != nil {
		t.Fatalf("bad %s: %v", testenv.MySQLEnv, err)
	}
	cfg.DBName = d.name
	return cfg.FormatDSN()
}

// start starts an instance of the service on the database with a Redis key prefix of its own
// (an empty cache), picks n of its workers at random and mints an access token for each with
// the instance's signing key, as the token endpoint would.
func (d *scaleDB) start(t *testing.T, bin string, n int) {
	addr := freeAddr(t)
	env := append(os.Environ(),
		"SKILLRECORD_HTTP_ADDR="+addr,
		"SKILLRECORD_MYSQL_DSN="+d.dsn(t),
		"SKILLRECORD_REDIS_ADDRS="+testenv.RedisAddr(t),
		"SKILLRECORD_REDIS_KEY_PREFIX="+testenv.KeyPrefix(t),
		"SKILLRECORD_DATA_DIR="+d.dir,
		"SKILLRECORD_LOG_LEVEL=warn",
	)
	exec(t, env, bin, "migrate", "up") // before serve: a backfill over millions of rows outlasts waitReady
	start(t, env, io.Discard, bin, "serve")
	d.base = "http://" + addr
	waitReady(t, d.base+"/readyz")

	getenv := func(k string) string {
		for _, kv := range slices.Backward(env) {
			if name, v, ok := strings.Cut(kv, "="); ok && name == k {
				return v
			}
		}
		return ""
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	m, err := keys.Load(keys.Settings{DataKey: cfg.Keys.Data, IndexKey: cfg.Keys.Index, SigningKey: cfg.Keys.Signing}, cfg.Data.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	tokens := &auth.Tokens{Keys: m, Issuer: cfg.TokenIssuer(), Audience: cfg.Auth.Audience, TTL: time.Hour, Now: time.Now}

	db := d.open(t)
	defer db.Close()
	// The unique SSN index is the smallest that lists every worker: the sample is drawn from
	// it without reading the workers' rows.
	rows, err := db.Query("SELECT id FROM workers ORDER BY RAND() LIMIT ?", n)
	if err != nil {
		t.Fatalf("sample workers of %s: %v", d.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		tok, _, err := tokens.Sign(auth.Principal{ID: id, Role: auth.RoleWorker}, "")
		if err != nil {
			t.Fatal(err)
		}
		d.tokens = append(d.tokens, vegeta.Target{Method: "GET", URL: d.base + "/api/v1/me/record",
			Header: http.Header{"Authorization": {"Bearer " + tok}}})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(d.tokens) < n {
		t.Fatalf("%s has %d workers; the scale run reads %d", d.name, len(d.tokens), n)
	}
}

func (d *scaleDB) open(t *testing.T) *sql.DB {
	db, err := sql.Open("mysql", d.dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// count counts the database's workers, training records and certificates (after the reads,
// so that the scans do not fill the buffer pool beforehand).
func (d *scaleDB) count(t *testing.T) {
	db := d.open(t)
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, c := range []struct {
		table string
		n     *int64
	}{{"workers", &d.workers}, {"trainings", &d.trainings}, {"certificates", &d.certificates}} {
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+c.table).Scan(c.n); err != nil {
			t.Fatalf("count %s of %s: %v", c.table, d.name, err)
		}
	}
}

// attackAt reads each target once at rate a second, adding the results to p (nil: a warm-up).
func attackAt(t *testing.T, targets []vegeta.Target, rate int, p *path) {
	t.Helper()
	if len(targets) == 0 {
		return
	}
	a := vegeta.NewAttacker(vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second))
	var warm vegeta.Metrics
	m := &warm
	if p != nil {
		m = &p.m
	}
	d := time.Duration(len(targets)) * time.Second / time.Duration(rate)
	start := time.Now()
	for res := range a.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: rate, Per: time.Second}, d, "scale") {
		m.Add(res)
	}
	if p != nil {
		p.elapsed += time.Since(start)
	}
}
