package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"skillrecord/internal/apitest"
	"skillrecord/internal/auth"
	"skillrecord/internal/identity"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// BenchmarkServe_BatchIngestRSS starts the real binary (this test binary in main mode, as a
// process of its own) on a fresh MariaDB database and the machine's Redis, and posts 200
// batches of 1,000 JSON records — 200,000 rows — through POST /api/v1/trainings/batch from 4
// clients, each an institution posting for its own 1,000 registered workers. It reports the
// rows stored per second and the process's peak resident set (VmHWM, in MB), whose goal is ≤
// 256 MB. SKILLRECORD_BENCH_BATCHES changes the number of batches.
func BenchmarkServe_BatchIngestRSS(b *testing.B) {
	const clients, perBatch = 4, 1000
	batches := 200
	if v, err := strconv.Atoi(os.Getenv("SKILLRECORD_BENCH_BATCHES")); err == nil && v > 0 {
		batches = v
	}
	dsn := testenv.NewDatabase(b)
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "serve")
	cmd.Env = append(os.Environ(), execMainEnv+"=1",
		"SKILLRECORD_HTTP_ADDR=127.0.0.1:0", "SKILLRECORD_DATA_DIR="+b.TempDir(),
		"SKILLRECORD_CONFIG=configs/skillrecord.yaml", "SKILLRECORD_MYSQL_DSN="+dsn,
		"SKILLRECORD_REDIS_ADDRS="+testenv.RedisAddr(b), "SKILLRECORD_REDIS_KEY_PREFIX="+testenv.KeyPrefix(b))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill() })
	l := newLines()
	go l.consume(stdout)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	addr := waitAddrB(b, l, exited)
	base := "http://" + addr + "/api/v1"

	// The bureau's admin, straight into the database the server migrated.
	db, err := sqlstore.Open(context.Background(), testenv.DBConfig(dsn), testenv.Logger(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := auth.CreateAdmin(context.Background(), db, "bench.admin", "bench-pass-2026", time.Now()); err != nil {
		b.Fatal(err)
	}
	c := &http.Client{Timeout: 5 * time.Minute}
	admin := token(b, c, base, map[string]string{"grant_type": "password", "username": "bench.admin", "password": "bench-pass-2026"})

	type institution struct {
		token  string
		people []apitest.Person
	}
	insts := make([]institution, clients)
	var csv strings.Builder
	csv.WriteString("ssn,name,card_number,issue_area,card_status,issued_on\n")
	for i := range insts {
		var org struct{ ID string }
		call(b, c, admin, "POST", base+"/admin/organizations", map[string]any{
			"name": fmt.Sprintf("压测培训机构%d", i), "type": "training_institution", "credit_code": apitest.CreditCode(), "region_code": "370400",
		}, http.StatusCreated, &org)
		var cl struct {
			ClientID     string `json:"client_id"`
			ClientSecret string `json:"client_secret"`
		}
		call(b, c, admin, "POST", base+"/admin/organizations/"+org.ID+"/clients", nil, http.StatusCreated, &cl)
		insts[i].token = token(b, c, base, map[string]string{"grant_type": "client_credentials", "client_id": cl.ClientID, "client_secret": cl.ClientSecret})
		for j := range perBatch {
			p := benchPerson(i*perBatch + j)
			insts[i].people = append(insts[i].people, p)
			fmt.Fprintf(&csv, "%s,%s,%s,370400,active,2020-01-15\n", p.SSN, p.Name, p.Card)
		}
	}
	var imported struct{ Imported int }
	callRaw(b, c, admin, "POST", base+"/admin/cardholders/import", "text/csv", []byte(csv.String()), http.StatusOK, &imported)
	if imported.Imported != clients*perBatch {
		b.Fatalf("imported %d cardholders", imported.Imported)
	}

	for b.Loop() {
		start := time.Now()
		var wg sync.WaitGroup
		errc := make(chan error, clients)
		for i, inst := range insts {
			wg.Go(func() {
				for j := i; j < batches; j += clients {
					body := batchBody(inst.people, fmt.Sprintf("R%d-B%d", b.N, j))
					res, err := send(c, inst.token, "POST", base+"/trainings/batch", "application/json", body)
					if err != nil || res.status != http.StatusOK {
						errc <- fmt.Errorf("batch %d: %w %d %.300s", j, err, res.status, res.body)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errc)
		if err := <-errc; err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(batches*perBatch)/time.Since(start).Seconds(), "rows/s")
	}
	b.ReportMetric(peakRSS(b, cmd.Process.Pid), "peak_RSS_MB")
}

// benchPerson is the n-th cardholder of the benchmark: a valid SSN, name and card number,
// different for every n below 900,000.
func benchPerson(n int) apitest.Person {
	const given = "伟芳娜敏静磊洋艳勇军"
	g := []rune(given)
	birth := time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/900)
	return apitest.Person{
		SSN:  string(identity.MakeSSN("370402", birth, n%900)),
		Name: "王" + string(g[n%10]) + string(g[n/10%10]),
		Card: fmt.Sprintf("B%08d", n),
	}
}

// batchBody is one JSON batch: a valid 40-hour passed record for each person.
func batchBody(people []apitest.Person, prefix string) []byte {
	type rec struct {
		ExternalID     string   `json:"external_id"`
		SSN            string   `json:"ssn"`
		Name           string   `json:"name"`
		CourseName     string   `json:"course_name"`
		TrainingType   string   `json:"training_type"`
		OccupationCode string   `json:"occupation_code"`
		Hours          int      `json:"hours"`
		StartDate      string   `json:"start_date"`
		EndDate        string   `json:"end_date"`
		Result         string   `json:"result"`
		Subsidized     bool     `json:"subsidized"`
		TraineeGroups  []string `json:"trainee_groups"`
	}
	recs := make([]rec, len(people))
	for i, p := range people {
		recs[i] = rec{fmt.Sprintf("%s-%d", prefix, i), p.SSN, p.Name, "焊工（中级）培训班", "employment_skills", "6-18-02-04",
			40, "2026-10-01", "2026-10-20", "passed", true, []string{"migrant_worker"}}
	}
	body, _ := json.Marshal(map[string]any{"records": recs})
	return body
}

// peakRSS reads the process's peak resident set size, in MB.
func peakRSS(b *testing.B, pid int) float64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb / 1024
		}
	}
	b.Fatal("no VmHWM in /proc/pid/status")
	return 0
}

type reply struct {
	status int
	body   []byte
}

func send(c *http.Client, tok, method, url, contentType string, body []byte) (reply, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := c.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return reply{res.StatusCode, out}, err
}

func callRaw(b *testing.B, c *http.Client, tok, method, url, contentType string, body []byte, want int, into any) {
	b.Helper()
	res, err := send(c, tok, method, url, contentType, body)
	if err != nil || res.status != want {
		b.Fatalf("%s %s: %v %d %s", method, url, err, res.status, res.body)
	}
	if into != nil {
		if err := json.Unmarshal(res.body, into); err != nil {
			b.Fatal(err)
		}
	}
}

func call(b *testing.B, c *http.Client, tok, method, url string, v any, want int, into any) {
	b.Helper()
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	callRaw(b, c, tok, method, url, "application/json", body, want, into)
}

func token(b *testing.B, c *http.Client, base string, grant map[string]string) string {
	b.Helper()
	var t struct {
		AccessToken string `json:"access_token"`
	}
	call(b, c, "", "POST", base+"/auth/token", grant, http.StatusOK, &t)
	return t.AccessToken
}

// waitAddrB is waitAddr for a benchmark: the address the server announces it listens on.
func waitAddrB(b *testing.B, l *lines, exited <-chan error) string {
	b.Helper()
	select {
	case a := <-l.addr:
		return a
	case err := <-exited:
		b.Fatalf("the server exited before listening: %v\n%s", err, l.text())
	case <-time.After(60 * time.Second):
		b.Fatalf("the server did not listen within 60s\n%s", l.text())
	}
	return ""
}
