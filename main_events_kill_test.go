package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/testenv"
)

// startServe starts the real binary with vars and returns its base URL, the process and a
// channel that yields its exit.
func startServe(t *testing.T, vars ...string) (string, *exec.Cmd, <-chan error) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "serve")
	cmd.Env = append(append(os.Environ(), execMainEnv+"=1", "SKILLRECORD_CONFIG=configs/skillrecord.yaml",
		"SKILLRECORD_HTTP_ADDR=127.0.0.1:0", "SKILLRECORD_REDIS_ADDRS="+testenv.RedisAddr(t),
		"SKILLRECORD_REDIS_KEY_PREFIX="+testenv.KeyPrefix(t)), vars...)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	l := newLines()
	go l.consume(stdout)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	return "http://" + waitAddr(t, l, exited), cmd, exited
}

// TestKill9_NoEventIsLostOrDuplicatedAtTheConsumer starts the real binary with the relay on a
// nats-server of the test's own, posts training records from two clients, kills the process
// with SIGKILL while records are being committed and published, starts it again (the new
// process takes the relay's lease once the dead one's expires), and checks the stream: every
// event of the outbox exactly once, in the outbox's order, with its id as the message id.
func TestKill9_NoEventIsLostOrDuplicatedAtTheConsumer(t *testing.T) {
	dsn := testenv.NewDatabase(t)
	dataDir := t.TempDir()
	ns := testenv.StartNATSServer(t)
	vars := map[string]string{"SKILLRECORD_MYSQL_DSN": dsn, "SKILLRECORD_DATA_DIR": dataDir}
	var out strings.Builder
	require.NoError(t, run(context.Background(), []string{"skillrecord", "admin", "create", "--username", "bureau.events",
		"--password", "kill-test-pass-1"}, func(k string) string { return vars[k] }, &out, &out), out.String())
	env := []string{"SKILLRECORD_DATA_DIR=" + dataDir, "SKILLRECORD_MYSQL_DSN=" + dsn, "SKILLRECORD_EVENTS_NATS_URL=" + ns.URL}

	base, cmd, exited := startServe(t, env...)
	anon := killClient{base: base}
	tok := anon.must(t, 200, "POST", "/api/v1/auth/token", map[string]string{
		"grant_type": "password", "username": "bureau.events", "password": "kill-test-pass-1"})
	admin := killClient{base: base, token: tok["access_token"].(string)}
	org := admin.must(t, 201, "POST", "/api/v1/admin/organizations", map[string]any{
		"name": "事件强杀测试培训学校", "type": "training_institution", "credit_code": apitest.CreditCode(), "region_code": "370400"})
	cl := admin.must(t, 201, "POST", "/api/v1/admin/organizations/"+org["id"].(string)+"/clients", nil)
	tok = anon.must(t, 200, "POST", "/api/v1/auth/token", map[string]string{
		"grant_type": "client_credentials", "client_id": cl["client_id"].(string), "client_secret": cl["client_secret"].(string)})
	inst := killClient{base: base, token: tok["access_token"].(string)}
	people := make([]apitest.Person, 20)
	var csv strings.Builder
	csv.WriteString("ssn,name,card_number,issue_area,card_status,issued_on\n")
	for i := range people {
		people[i] = apitest.NewPerson()
		fmt.Fprintf(&csv, "%s,%s,%s,370400,active,2020-01-15\n", people[i].SSN, people[i].Name, people[i].Card)
	}
	status, m, err := admin.do("POST", "/api/v1/admin/cardholders/import", "text/csv", []byte(csv.String()), "")
	require.NoError(t, err)
	require.Equal(t, 200, status, "%v", m)

	var (
		next, answered atomic.Int64
		wg             sync.WaitGroup
		killed         = make(chan struct{})
		killOnce       sync.Once
	)
	for range 2 {
		wg.Go(func() {
			for {
				n := next.Add(1)
				p := people[n%int64(len(people))]
				status, _, err := inst.must2("POST", "/api/v1/trainings", map[string]any{
					"external_id": fmt.Sprintf("K-%d", n), "ssn": p.SSN, "name": p.Name, "course_name": "焊工（中级）培训",
					"training_type": "job_skills_upgrade", "occupation_code": "6-18-02-04", "hours": 40,
					"start_date": "2026-03-01", "end_date": "2026-03-20", "result": "passed",
				})
				if err != nil {
					return // the process is gone
				}
				if status == 201 && answered.Add(1) == 60 {
					killOnce.Do(func() { _ = cmd.Process.Kill(); close(killed) })
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
	var unsent int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM event_outbox WHERE sent_at IS NULL").Scan(&unsent))
	t.Logf("%d events committed but not marked sent when the process was killed", unsent)

	startServe(t, env...) // takes the relay's lease once the dead process's expires
	require.Eventually(t, func() bool {
		var n int
		return db.QueryRow("SELECT COUNT(*) FROM event_outbox WHERE sent_at IS NULL").Scan(&n) == nil && n == 0
	}, 90*time.Second, 100*time.Millisecond, "the restarted relay publishes what the dead one left")

	var want []string
	rows, err := db.Query("SELECT event_id FROM event_outbox ORDER BY id")
	require.NoError(t, err)
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		want = append(want, id)
	}
	require.NoError(t, rows.Err())
	rows.Close()

	nc, err := nats.Connect(ns.URL)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx := context.Background()
	s, err := js.Stream(ctx, "SKILLRECORD")
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	var got []string
	seen := map[string]bool{}
	for seq := info.State.FirstSeq; info.State.Msgs > 0 && seq <= info.State.LastSeq; seq++ {
		msg, err := s.GetMsg(ctx, seq)
		require.NoError(t, err)
		var e struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(msg.Data, &e))
		assert.Equal(t, e.ID, msg.Header.Get(nats.MsgIdHdr))
		assert.False(t, seen[e.ID], "event %s reaches the consumer once", e.ID)
		seen[e.ID] = true
		got = append(got, e.ID)
	}
	assert.GreaterOrEqual(t, len(want), 120, "at least 60 answered posts, two events each")
	assert.Equal(t, want, got, "every committed event once, in outbox order")
}

// must2 posts JSON and answers the status, the body and a transport error.
func (c killClient) must2(method, path string, body any) (int, map[string]any, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	return c.do(method, path, "application/json", raw, "")
}
