package loadtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"skillrecord/internal/apitest"
	"skillrecord/internal/testenv"
)

// The load run (make load): 50 connections, each phase 10 s after a warm-up, the built binary
// and the bare stack driven by the same client in the same run.
const (
	connections = 50
	workers     = 200 // distinct worker tokens for the record read
	rssLimit    = 256 << 20
)

func TestLoad_ReadPathsAgainstTheBareStack(t *testing.T) {
	if os.Getenv("SKILLRECORD_LOAD") != "1" {
		t.Skip("the load run is not a test: run it with make load (SKILLRECORD_LOAD=1)")
	}
	duration := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv("SKILLRECORD_LOAD_DURATION")); err == nil && d > 0 {
		duration = d
	}
	root, dir := moduleRoot(t), t.TempDir()
	bin := goBuild(t, root, ".", dir+"/skillrecord")
	bareBin := goBuild(t, root, "./internal/loadtest/barestack", dir+"/barestack")

	addr := freeAddr(t)
	env := append(os.Environ(),
		"SKILLRECORD_HTTP_ADDR="+addr,
		"SKILLRECORD_MYSQL_DSN="+testenv.NewDatabase(t),
		"SKILLRECORD_REDIS_ADDRS="+testenv.RedisAddr(t),
		"SKILLRECORD_REDIS_KEY_PREFIX="+testenv.KeyPrefix(t),
		"SKILLRECORD_DATA_DIR="+dir+"/data",
		"SKILLRECORD_LOG_LEVEL=info",
	)
	profile := os.Getenv("SKILLRECORD_LOAD_CPUPROFILE") // a file prefix: profile each path after the run
	debugAddr := ""
	if profile != "" {
		debugAddr = freeAddr(t)
		env = append(env, "SKILLRECORD_DEBUG_ADDR="+debugAddr)
	}
	exec(t, env, bin, "admin", "create", "--username", "load.admin", "--password", "load-admin-2026")
	srv := start(t, env, io.Discard, bin, "serve") // one JSON line a request, as in production
	base := "http://" + addr
	waitReady(t, base+"/readyz")

	bareOut := &firstLine{ready: make(chan string, 1)}
	bare := start(t, os.Environ(), bareOut, bareBin, "-redis", testenv.RedisAddr(t), "-key", testenv.KeyPrefix(t)+"barestack")
	bareBase := "http://" + <-bareOut.ready

	recordTargets, verifyTargets := setUp(t, base)
	bareTargets := []vegeta.Target{{Method: "GET", URL: bareBase + "/x"}}

	// MariaDB and Redis serve every path (the bare stack: Redis only); their CPU time during a
	// path's slices is charged to it. On a machine they share with other work the figures
	// include that work too: compare them between paths of the same run only.
	mariadb, redisd = findServer("mariadbd", "mysqld"), findServer("redis-server")
	var peak atomic.Int64
	stopSampling := sampleRSS(t, srv, &peak)
	paths := []*path{
		{key: "bare", name: "bare stack: gin + one go-redis GET", targets: bareTargets, server: bare},
		{key: "record", name: "cached GET /api/v1/me/record", targets: recordTargets, server: srv},
		{key: "verify", name: "cached POST /api/v1/verify/certificates (access event committed)", targets: verifyTargets, server: srv},
	}
	for other := range strings.SplitSeq(os.Getenv("SKILLRECORD_LOAD_COMPARE"), ",") {
		if other != "" {
			paths = append(paths, comparePaths(t, other, env, base, recordTargets, verifyTargets)...)
		}
	}
	loadBefore := loadAverage()
	for _, p := range paths {
		attack(t, "warm-up", p.targets, 2*time.Second, nil)
	}
	// The phases alternate in short slices, so that a change in the machine's load during the
	// run weighs on every path alike; each path gets duration in all.
	for round := range rounds {
		for _, p := range paths {
			attack(t, fmt.Sprintf("%s, round %d", p.name, round+1), p.targets, duration/rounds, p)
		}
	}
	stopSampling()
	loadAfter := loadAverage()
	if profile != "" {
		for _, p := range paths[1:3] {
			profilePath(t, debugAddr, profile+"."+p.key+".pprof", p.targets)
		}
	}

	for _, p := range paths {
		p.m.Close()
	}
	anchor := paths[0]
	fmt.Printf("\nload run: %d connections, %s a path (in %d alternating slices) after a 2 s warm-up, %d worker tokens\n",
		connections, duration, rounds, workers)
	fmt.Printf("load average (1, 5, 15 min) before the run: %s; after it: %s\n", loadBefore, loadAfter)
	fmt.Printf("| path | req/s | p99 | ratio to bare stack | server CPU µs/req | client CPU µs/req | MariaDB CPU µs/req | Redis CPU µs/req |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range paths {
		fmt.Printf("| %s | %.0f | %.1f ms | %.2f× | %.0f | %.0f | %.0f | %.0f |\n", p.name, p.rate(), float64(p.m.Latencies.P99)/1e6, p.rate()/anchor.rate(),
			perRequest(p.serverCPU, p.m.Requests), perRequest(p.clientCPU, p.m.Requests),
			perRequest(p.mariadbCPU, p.m.Requests), perRequest(p.redisCPU, p.m.Requests))
		if p.m.Success < 1 {
			t.Errorf("%s: success %.4f, status codes %v, errors %v", p.name, p.m.Success, p.m.StatusCodes, first(p.m.Errors, 3))
		}
	}
	fmt.Printf("peak RSS of the service under the read load: %d MB (over its whole life, setup included: %d MB)\n\n",
		peak.Load()>>20, srv.peakRSS(t)>>20)
	if peak.Load() > rssLimit {
		t.Errorf("peak RSS under the read load %d MB is over %d MB", peak.Load()>>20, rssLimit>>20)
	}
}

// comparePaths starts another build of the service (the binary at bin, built from another
// commit) beside the first, on the same database, Redis and keys but its own cache entries,
// and returns its two paths, so that a change is measured against the code before it in the
// same run.
func comparePaths(t *testing.T, bin string, env []string, base string, record, verify []vegeta.Target) []*path {
	t.Helper()
	addr := freeAddr(t)
	env = append(slices.Clone(env), "SKILLRECORD_HTTP_ADDR="+addr, "SKILLRECORD_REDIS_KEY_PREFIX="+testenv.KeyPrefix(t)+"compare:",
		"SKILLRECORD_DEBUG_ADDR=", "SKILLRECORD_PUBLIC_URL="+base) // the first's URL: its tokens' issuer
	srv := start(t, env, io.Discard, bin, "serve")
	otherBase := "http://" + addr
	waitReady(t, otherBase+"/readyz")
	retarget := func(ts []vegeta.Target) []vegeta.Target {
		out := make([]vegeta.Target, len(ts))
		for i, tg := range ts {
			tg.URL = otherBase + strings.TrimPrefix(tg.URL, base)
			out[i] = tg
		}
		return out
	}
	return []*path{
		{key: "record-compare", name: "cached GET /api/v1/me/record, " + filepath.Base(bin), targets: retarget(record), server: srv},
		{key: "verify-compare", name: "cached POST /api/v1/verify/certificates, " + filepath.Base(bin), targets: retarget(verify), server: srv},
	}
}

// profilePath loads targets for 10 s while it takes a CPU profile of the service through its
// debug listener (SKILLRECORD_DEBUG_ADDR), and writes the profile to file.
func profilePath(t *testing.T, debugAddr, file string, targets []vegeta.Target) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		res, err := http.Get("http://" + debugAddr + "/debug/pprof/profile?seconds=8")
		if err != nil {
			done <- err
			return
		}
		defer res.Body.Close()
		f, err := os.Create(file)
		if err != nil {
			done <- err
			return
		}
		_, err = io.Copy(f, res.Body)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- err
	}()
	attack(t, "profile", targets, 10*time.Second, nil)
	if err := <-done; err != nil {
		t.Errorf("cpu profile: %v", err)
		return
	}
	fmt.Printf("cpu profile of the service under this load: %s\n", file)
}

// rounds is how many slices each path's load is cut into.
const rounds = 5

// path is one measured path: its targets and the results of all its slices.
type path struct {
	key     string // short name, for file names
	name    string
	targets []vegeta.Target
	server  *process // the process that answers the path
	m       vegeta.Metrics
	elapsed time.Duration
	// serverCPU and clientCPU are the CPU time the answering process and this load client
	// spent during the path's slices; mariadbCPU and redisCPU those of the database and cache
	// servers (0 when they are not on this machine).
	serverCPU, clientCPU, mariadbCPU, redisCPU time.Duration
}

// mariadb and redisd are the database and cache servers whose CPU time the run measures.
var mariadb, redisd backingServer

// perRequest is d per request in µs.
func perRequest(d time.Duration, requests uint64) float64 {
	if requests == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(requests)
}

// rate is the successful requests per second over the path's slices.
func (p *path) rate() float64 {
	return float64(p.m.Requests) * p.m.Success / p.elapsed.Seconds()
}

// attack drives targets round-robin with connections workers for d at the highest rate they
// reach, adding the results to p (nil: a warm-up, not counted).
func attack(t *testing.T, name string, targets []vegeta.Target, d time.Duration, p *path) {
	t.Helper()
	a := vegeta.NewAttacker(vegeta.Connections(connections), vegeta.MaxConnections(connections),
		vegeta.Workers(connections), vegeta.MaxWorkers(connections), vegeta.KeepAlive(true), vegeta.Timeout(10*time.Second))
	var warm vegeta.Metrics
	m := &warm
	if p != nil {
		m = &p.m
	}
	var server0, client0, db0, redis0 time.Duration
	if p != nil {
		server0, client0, db0, redis0 = p.server.cpu(t), selfCPU(t), mariadb.cpu(), redisd.cpu()
	}
	start := time.Now()
	for res := range a.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: 0}, d, name) {
		m.Add(res)
	}
	if p != nil {
		p.elapsed += time.Since(start)
		p.serverCPU += p.server.cpu(t) - server0
		p.clientCPU += selfCPU(t) - client0
		p.mariadbCPU += mariadb.cpu() - db0
		p.redisCPU += redisd.cpu() - redis0
	}
}

// loadAverage is the machine's load average (1, 5 and 15 minutes), as /proc/loadavg has it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// sampleRSS records the service's largest resident set until the returned stop is called.
func sampleRSS(t *testing.T, p *process, peak *atomic.Int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if r := p.rss(t); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// setUp creates, through the API, an admin's directory, workers signed in and a certificate,
// and returns the record-read targets (one per worker token) and the verification target.
func setUp(t *testing.T, base string) (record, verify []vegeta.Target) {
	c := apiClient(t, base)
	token := func(grant map[string]string) string {
		res := c.Do("POST", "/api/v1/auth/token", grant)
		if res.Status != http.StatusOK {
			t.Fatalf("sign-in answered %d: %s", res.Status, res.Body)
		}
		return res.Map(t)["access_token"].(string)
	}
	admin := token(map[string]string{"grant_type": "password", "username": "load.admin", "password": "load-admin-2026"})
	as := func(tok string) *apitest.Client {
		cl := apiClient(t, base)
		cl.Header.Set("Authorization", "Bearer "+tok)
		return cl
	}
	org := func(typ string) string {
		res := as(admin).Do("POST", "/api/v1/admin/organizations", map[string]any{
			"name": "负载测试 " + typ, "type": typ, "credit_code": apitest.CreditCode(), "region_code": "370400"})
		if res.Status != http.StatusCreated {
			t.Fatalf("create organisation answered %d: %s", res.Status, res.Body)
		}
		res = as(admin).Do("POST", "/api/v1/admin/organizations/"+res.Map(t)["id"].(string)+"/clients", nil)
		if res.Status != http.StatusCreated {
			t.Fatalf("create client answered %d: %s", res.Status, res.Body)
		}
		m := res.Map(t)
		return token(map[string]string{"grant_type": "client_credentials", "client_id": m["client_id"].(string), "client_secret": m["client_secret"].(string)})
	}
	eval, employer := org("evaluation_org"), org("employer")

	people := make([]apitest.Person, workers)
	var csv strings.Builder
	csv.WriteString("ssn,name,card_number,issue_area,card_status,issued_on\n")
	for i := range people {
		people[i] = apitest.NewPerson()
		fmt.Fprintf(&csv, "%s,%s,%s,370400,active,2020-01-15\n", people[i].SSN, people[i].Name, people[i].Card)
	}
	if res := as(admin).Do("POST", "/api/v1/admin/cardholders/import", csv.String(), "Content-Type", "text/csv"); res.Status != http.StatusOK {
		t.Fatalf("import answered %d: %s", res.Status, res.Body)
	}
	res := as(eval).Do("POST", "/api/v1/certificates", map[string]any{
		"certificate_no": "LOAD-000001", "ssn": people[0].SSN, "name": people[0].Name, "type": "skill_level",
		"level": 3, "occupation_code": "6-18-01-01", "occupation_name": "焊工", "issued_on": "2026-06-30"})
	if res.Status != http.StatusCreated {
		t.Fatalf("issue answered %d: %s", res.Status, res.Body)
	}
	for _, p := range people {
		res := c.Do("POST", "/api/v1/workers/activate", map[string]string{"ssn": p.SSN, "name": p.Name, "card_number": p.Card, "password": "worker-pass-1"})
		if res.Status != http.StatusCreated {
			t.Fatalf("activation answered %d: %s", res.Status, res.Body)
		}
		tok := token(map[string]string{"grant_type": "password", "username": p.SSN, "password": "worker-pass-1"})
		record = append(record, vegeta.Target{Method: "GET", URL: base + "/api/v1/me/record",
			Header: http.Header{"Authorization": {"Bearer " + tok}}})
	}
	body, _ := json.Marshal(map[string]string{"certificate_no": "LOAD-000001", "name": people[0].Name})
	verify = []vegeta.Target{{Method: "POST", URL: base + "/api/v1/verify/certificates", Body: body,
		Header: http.Header{"Authorization": {"Bearer " + employer}, "Content-Type": {"application/json"}}}}
	return record, verify
}

// firstLine passes on the first line written to it (the bare stack's address).
type firstLine struct {
	mu    sync.Mutex
	buf   []byte
	sent  bool
	ready chan string
}

func (f *firstLine) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.sent {
		f.buf = append(f.buf, p...)
		if i := strings.IndexByte(string(f.buf), '\n'); i >= 0 {
			f.ready <- strings.TrimSpace(string(f.buf[:i]))
			f.sent = true
		}
	}
	return len(p), nil
}
