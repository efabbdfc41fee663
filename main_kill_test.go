package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/testenv"
)

// killClient talks JSON to a running server.
type killClient struct {
	base  string
	token string
}

func (c killClient) do(method, path, contentType string, body []byte, requestID string) (int, map[string]any, error) {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", contentType)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if requestID != "" {
		req.Header.Set("X-Request-ID", requestID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m, nil
}

func (c killClient) must(t *testing.T, want int, method, path string, body any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	status, m, err := c.do(method, path, "application/json", raw, "")
	require.NoError(t, err)
	require.Equal(t, want, status, "%s %s: %v", method, path, m)
	return m
}

// TestKill9_EveryCommittedBatchHasItsAuditEvent starts the real binary on MariaDB, posts
// training batches from three clients, kills the process with SIGKILL while batches are in
// flight, and checks the database: every batch is there whole or not at all, every batch that
// is there has exactly one audit event, and every batch that was answered is there.
func TestKill9_EveryCommittedBatchHasItsAuditEvent(t *testing.T) {
	dsn := testenv.NewDatabase(t)
	dataDir := t.TempDir()
	vars := map[string]string{"SKILLRECORD_MYSQL_DSN": dsn, "SKILLRECORD_DATA_DIR": dataDir}
	var out strings.Builder
	require.NoError(t, run(context.Background(), []string{"skillrecord", "admin", "create", "--username", "bureau.kill",
		"--password", "kill-test-pass-1"}, func(k string) string { return vars[k] }, &out, &out), out.String())

	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "serve")
	cmd.Env = append(os.Environ(), execMainEnv+"=1", "SKILLRECORD_CONFIG=configs/skillrecord.yaml",
		"SKILLRECORD_HTTP_ADDR=127.0.0.1:0", "SKILLRECORD_DATA_DIR="+dataDir, "SKILLRECORD_MYSQL_DSN="+dsn,
		"SKILLRECORD_REDIS_ADDRS="+testenv.RedisAddr(t), "SKILLRECORD_REDIS_KEY_PREFIX="+testenv.KeyPrefix(t))
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	l := newLines()
	go l.consume(stdout)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	base := "http://" + waitAddr(t, l, exited)

	anon := killClient{base: base}
	tok := anon.must(t, 200, "POST", "/api/v1/auth/token", map[string]string{
		"grant_type": "password", "username": "bureau.kill", "password": "kill-test-pass-1"})
	admin := killClient{base: base, token: tok["access_token"].(string)}
	org := admin.must(t, 201, "POST", "/api/v1/admin/organizations", map[string]any{
		"name": "强杀测试培训学校", "type": "training_institution", "credit_code": apitest.CreditCode(), "region_code": "370400"})
	cl := admin.must(t, 201, "POST", "/api/v1/admin/organizations/"+org["id"].(string)+"/clients", nil)
	tok = anon.must(t, 200, "POST", "/api/v1/auth/token", map[string]string{
		"grant_type": "client_credentials", "client_id": cl["client_id"].(string), "client_secret": cl["client_secret"].(string)})
	inst := killClient{base: base, token: tok["access_token"].(string)}

	people := make([]apitest.Person, 50)
	var csv strings.Builder
	csv.WriteString("ssn,name,card_number,issue_area,card_status,issued_on\n")
	for i := range people {
		people[i] = apitest.NewPerson()
		fmt.Fprintf(&csv, "%s,%s,%s,370400,active,2020-01-15\n", people[i].SSN, people[i].Name, people[i].Card)
	}
	status, m, err := admin.do("POST", "/api/v1/admin/cardholders/import", "text/csv", []byte(csv.String()), "")
	require.NoError(t, err)
	require.Equal(t, 200, status, "%v", m)

	// Three clients post batches until the process is killed, a few batches after the first
	// answers.
	var (
		next, answered atomic.Int64
		mu             sync.Mutex
		ok             []int64
		wg             sync.WaitGroup
		killed         = make(chan struct{})
		killOnce       sync.Once
	)
	for range 3 {
		wg.Go(func() {
			for {
				n := next.Add(1)
				records := make([]map[string]any, len(people))
				for i, p := range people {
					records[i] = map[string]any{
						"external_id": fmt.Sprintf("B%d-%d", n, i), "ssn": p.SSN, "name": p.Name, "course_name": "焊工（中级）培训",
						"training_type": "job_skills_upgrade", "occupation_code": "6-18-02-04", "hours": 40,
						"start_date": "2026-03-01", "end_date": "2026-03-20", "result": "passed",
					}
				}
				body, _ := json.Marshal(map[string]any{"records": records})
				status, _, err := inst.do("POST", "/api/v1/trainings/batch", "application/json", body, fmt.Sprintf("kill-batch-%d", n))
				if err != nil {
					return // the process is gone
				}
				if status == 200 {
					mu.Lock()
					ok = append(ok, n)
					mu.Unlock()
					if answered.Add(1) == 6 {
						killOnce.Do(func() { _ = cmd.Process.Kill(); close(killed) })
					}
				}
				select {
				case <-killed:
					return
				default:
				}
			}
		})
	}
	wg.Wait()
	require.Error(t, <-exited, "the server ends only by the kill")

	db, err := sql.Open("mysql", dsn)
	require.NoError(t, err)
	defer db.Close()
	rows := map[string]int{}
	q, err := db.Query("SELECT SUBSTRING_INDEX(external_id, '-', 1), COUNT(*) FROM trainings GROUP BY 1")
	require.NoError(t, err)
	for q.Next() {
		var b string
		var n int
		require.NoError(t, q.Scan(&b, &n))
		rows[b] = n
	}
	require.NoError(t, q.Err())
	q.Close()
	events := map[string]int{}
	q, err = db.Query("SELECT request_id FROM audit_events WHERE action = 'training.batch_post' AND status = 200")
	require.NoError(t, err)
	for q.Next() {
		var id string
		require.NoError(t, q.Scan(&id))
		events[id]++
	}
	require.NoError(t, q.Err())
	q.Close()

	for _, n := range ok {
		assert.Equal(t, len(people), rows[fmt.Sprintf("B%d", n)], "answered batch %d is committed whole", n)
	}
	for b, n := range rows {
		assert.Equal(t, len(people), n, "batch %s is whole", b)
		assert.Equal(t, 1, events["kill-batch-"+strings.TrimPrefix(b, "B")], "committed batch %s has one event", b)
	}
	assert.GreaterOrEqual(t, len(rows), 6)
	t.Logf("%d batches committed, %d answered before the kill", len(rows), len(ok))
}
