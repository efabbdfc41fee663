package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/testenv"
)

// When the test binary is started with this variable set it behaves as the skillrecord
// binary, so the signal tests exercise the real main in a real process.
const execMainEnv = "SKILLRECORD_TEST_EXEC_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(execMainEnv) == "1" {
		os.Args = append([]string{"skillrecord"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// lines collects a process's log lines and announces the listening address.
type lines struct {
	mu    sync.Mutex
	all   []string
	addr  chan string
	first chan string
}

func newLines() *lines { return &lines{addr: make(chan string, 1), first: make(chan string, 1)} }

func (l *lines) consume(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		l.mu.Lock()
		if len(l.all) == 0 {
			l.first <- line
		}
		l.all = append(l.all, line)
		l.mu.Unlock()
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "listening" {
			l.addr <- m["addr"].(string)
		}
	}
}

func (l *lines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.all, "\n")
}

func waitAddr(t *testing.T, l *lines, errc <-chan error) string {
	t.Helper()
	select {
	case a := <-l.addr:
		return a
	case err := <-errc:
		t.Fatalf("server stopped before listening: %v\n%s", err, l.text())
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not listen within 60s:\n%s", l.text())
	}
	return ""
}

// startRun runs `skillrecord serve` in-process through run with the given variables.
func startRun(t *testing.T, vars map[string]string) (addr string, l *lines, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	l = newLines()
	go l.consume(pr)
	errc := make(chan error, 1)
	go func() {
		getenv := func(k string) string {
			if v, ok := vars[k]; ok || k != "SKILLRECORD_DRAIN_PERIOD" {
				return v
			}
			return "100ms" // a short drain keeps the stop quick
		}
		err := run(ctx, []string{"skillrecord", "serve"}, getenv, pw, pw)
		_ = pw.Close()
		errc <- err
	}()
	addr = waitAddr(t, l, errc)
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-errc:
			case <-time.After(30 * time.Second):
				stopErr = errors.New("serve did not return within 30s of cancellation")
			}
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	return addr, l, stop
}

func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(url)
	require.NoError(t, err)
	defer res.Body.Close()
	var m map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&m))
	return res.StatusCode, m
}

func TestServe_EmbeddedModeStartsServesAndStops(t *testing.T) {
	dataDir := t.TempDir()
	addr, l, stop := startRun(t, map[string]string{
		"SKILLRECORD_HTTP_ADDR": "127.0.0.1:0",
		"SKILLRECORD_DATA_DIR":  dataDir,
	})
	first := <-l.first
	assert.Contains(t, first, "embedded mode", "the first log line says the storage is embedded")
	assert.Contains(t, first, "SQLite")

	status, body := getJSON(t, "http://"+addr+"/healthz")
	assert.Equal(t, 200, status)
	assert.Equal(t, "ok", body["status"])

	status, body = getJSON(t, "http://"+addr+"/readyz")
	assert.Equal(t, 200, status)
	assert.Equal(t, "ok", body["status"], "embedded database and in-process cache are both up")

	res, err := http.Get("http://" + addr + "/api/v1/openapi.yaml")
	require.NoError(t, err)
	spec, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	assert.Contains(t, string(spec), "openapi: 3.1")

	require.NoError(t, stop())
	assert.FileExists(t, filepath.Join(dataDir, "skillrecord.db"))
	assert.FileExists(t, filepath.Join(dataDir, "keys", "data.key"))
	assert.Contains(t, l.text(), "shutdown complete")
	for _, line := range strings.Split(l.text(), "\n") {
		assert.Truef(t, json.Valid([]byte(line)), "log line is JSON: %s", line)
	}
}

func TestServe_OnMariaDBAndRedis(t *testing.T) {
	addr, l, stop := startRun(t, map[string]string{
		"SKILLRECORD_HTTP_ADDR":   "127.0.0.1:0",
		"SKILLRECORD_DATA_DIR":    t.TempDir(),
		"SKILLRECORD_MYSQL_DSN":   testenv.NewDatabase(t),
		"SKILLRECORD_REDIS_ADDRS": testenv.RedisAddr(t),
	})
	first := <-l.first
	assert.NotContains(t, first, "embedded mode")
	status, body := getJSON(t, "http://"+addr+"/readyz")
	assert.Equal(t, 200, status)
	assert.Equal(t, "ok", body["status"])
	assert.Contains(t, l.text(), `"dialect":"mysql"`)
	require.NoError(t, stop())
}

func TestRun_InvalidSettingIsOneClearLine(t *testing.T) {
	var out strings.Builder
	err := run(context.Background(), []string{"skillrecord", "serve"}, func(k string) string {
		return map[string]string{"SKILLRECORD_HTTP_READ_TIMEOUT": "soon", "SKILLRECORD_DATA_DIR": t.TempDir()}[k]
	}, &out, &out)
	require.Error(t, err)
	assert.Equal(t, `invalid setting SKILLRECORD_HTTP_READ_TIMEOUT (http.read_timeout): "soon" is not a duration such as 500ms, 15s or 10m`, err.Error())
}

func TestRun_BadDSNDoesNotEchoThePassword(t *testing.T) {
	var out strings.Builder
	err := run(context.Background(), []string{"skillrecord", "migrate", "up"}, func(k string) string {
		return map[string]string{"SKILLRECORD_MYSQL_DSN": "root:pa55word@tcp(127.0.0.1:1)/x?bogus=(", "SKILLRECORD_DATA_DIR": t.TempDir()}[k]
	}, &out, &out)
	require.Error(t, err)
	assert.NotContains(t, err.Error()+out.String(), "pa55word")
}

func TestRun_UnknownCommandIsUsageError(t *testing.T) {
	var out strings.Builder
	err := run(context.Background(), []string{"skillrecord", "frobnicate"}, func(string) string { return "" }, &out, &out)
	require.Error(t, err)
	assert.Contains(t, out.String(), "usage: skillrecord")
}

func TestRun_Version(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(context.Background(), []string{"skillrecord", "version"}, func(string) string { return "" }, &out, &out))
	assert.Contains(t, out.String(), "skillrecord dev")
}

func TestMigrate_UpThenStatusOnMariaDB(t *testing.T) {
	vars := map[string]string{"SKILLRECORD_MYSQL_DSN": testenv.NewDatabase(t), "SKILLRECORD_DATA_DIR": t.TempDir()}
	getenv := func(k string) string { return vars[k] }
	var out strings.Builder
	require.NoError(t, run(context.Background(), []string{"skillrecord", "migrate", "status"}, getenv, &out, &out))
	assert.Contains(t, out.String(), "pending")

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"skillrecord", "migrate", "up"}, getenv, &out, &out))
	assert.Contains(t, out.String(), "migrations applied")
	out.Reset()
	require.NoError(t, run(context.Background(), []string{"skillrecord", "migrate", "up"}, getenv, &out, &out))
	assert.Contains(t, out.String(), "up to date")

	out.Reset()
	require.NoError(t, run(context.Background(), []string{"skillrecord", "migrate", "status"}, getenv, &out, &out))
	assert.Contains(t, out.String(), "applied")
	assert.NotContains(t, out.String(), "pending")
}

func TestAdminCreate_CreatesOnceRefusesDuplicatesAndWeakPasswords(t *testing.T) {
	vars := map[string]string{"SKILLRECORD_MYSQL_DSN": testenv.NewDatabase(t), "SKILLRECORD_DATA_DIR": t.TempDir()}
	getenv := func(k string) string { return vars[k] }
	admin := func(user, pass string) (string, error) {
		var out strings.Builder
		err := run(context.Background(), []string{"skillrecord", "admin", "create", "--username", user, "--password", pass}, getenv, &out, &out)
		return out.String(), err
	}
	out, err := admin("bureau.ops", "correct-horse-42")
	require.NoError(t, err)
	assert.Contains(t, out, `created admin "bureau.ops"`)
	assert.NotContains(t, out, "correct-horse-42", "the password is never printed")

	_, err = admin("bureau.ops", "another-pass-43")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already exists")

	_, err = admin("someone", "short1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "password")

	_, err = admin("", "")
	require.Error(t, err)
}

// TestSIGTERM_RealProcessDrainsAndExitsCleanly starts the real binary (this test binary in
// main mode), holds a request in flight (its body half sent), sends SIGTERM, and checks that
// the request is still answered and the process then exits 0.
func TestSIGTERM_RealProcessDrainsAndExitsCleanly(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "serve")
	cmd.Env = append(os.Environ(), execMainEnv+"=1",
		"SKILLRECORD_HTTP_ADDR=127.0.0.1:0", "SKILLRECORD_DATA_DIR="+t.TempDir(),
		"SKILLRECORD_CONFIG=configs/skillrecord.yaml", "SKILLRECORD_DRAIN_PERIOD=1s")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	l := newLines()
	go l.consume(stdout)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	addr := waitAddr(t, l, exited)

	// A keep-alive connection with one request answered: SIGTERM must close it cleanly.
	status, _ := getJSON(t, "http://"+addr+"/healthz")
	require.Equal(t, 200, status)

	// An in-flight request: the handler is reading a body that is only half sent.
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	body := `{"grant_type":"password","username":"nobody.here","password":"wrong-pass-1"}`
	_, err = fmt.Fprintf(conn, "POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:20])
	require.NoError(t, err)
	time.Sleep(300 * time.Millisecond)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	time.Sleep(500 * time.Millisecond)
	select {
	case err := <-exited:
		t.Fatalf("the process exited with a request in flight: %v\n%s", err, l.text())
	default:
	}
	_, err = io.WriteString(conn, body[20:])
	require.NoError(t, err)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "the in-flight request is answered after SIGTERM")
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	res.Body.Close()

	select {
	case err := <-exited:
		require.NoError(t, err, "exit status 0 after SIGTERM\n%s", l.text())
	case <-time.After(30 * time.Second):
		t.Fatalf("no exit within 30s of SIGTERM\n%s", l.text())
	}
	assert.Contains(t, l.text(), "shutting down: finishing in-flight requests")
	assert.Contains(t, l.text(), "shutdown complete")
	_, err = http.Get(fmt.Sprintf("http://%s/healthz", addr))
	assert.Error(t, err, "nothing listens after the exit")
}

// TestSIGTERM_ConcurrentReadersLoseNoRequest runs 20 readers looping on /healthz against the
// real process and sends SIGTERM: during the drain /readyz answers 503 and answers carry
// Connection: close, on which a reader stops, as a balancer's client would move to another
// instance; not one request fails, and the process exits 0.
func TestSIGTERM_ConcurrentReadersLoseNoRequest(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "serve")
	cmd.Env = append(os.Environ(), execMainEnv+"=1",
		"SKILLRECORD_HTTP_ADDR=127.0.0.1:0", "SKILLRECORD_DATA_DIR="+t.TempDir(),
		"SKILLRECORD_CONFIG=configs/skillrecord.yaml", "SKILLRECORD_DRAIN_PERIOD=2s")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = cmd.Stdout
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	l := newLines()
	go l.consume(stdout)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	addr := waitAddr(t, l, exited)

	const readers = 20
	var (
		wg       sync.WaitGroup
		failures atomic.Int64
		answered atomic.Int64
		started  sync.WaitGroup
		failMu   sync.Mutex
		firstErr error
	)
	started.Add(readers)
	for range readers {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{}, Timeout: 20 * time.Second}
			defer client.CloseIdleConnections()
			first := true
			for {
				res, err := client.Get("http://" + addr + "/healthz")
				if err != nil {
					failures.Add(1)
					failMu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					failMu.Unlock()
					if first {
						started.Done()
					}
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				answered.Add(1)
				if first {
					started.Done()
					first = false
				}
				if res.StatusCode != http.StatusOK {
					failures.Add(1)
				}
				if res.Close || res.StatusCode == http.StatusServiceUnavailable {
					return // the instance is draining: go elsewhere
				}
			}
		})
	}
	started.Wait()

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	readyDuringDrain := false
	probe := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	for !readyDuringDrain {
		res, err := probe.Get("http://" + addr + "/readyz")
		require.NoError(t, err, "readiness answers during the drain")
		res.Body.Close()
		if res.StatusCode == http.StatusServiceUnavailable {
			readyDuringDrain = true
			assert.NotEmpty(t, res.Header.Get("Retry-After"))
		}
	}
	wg.Wait()

	select {
	case err := <-exited:
		require.NoError(t, err, "exit status 0 after SIGTERM\n%s", l.text())
	case <-time.After(30 * time.Second):
		t.Fatalf("no exit within 30s of SIGTERM\n%s", l.text())
	}
	assert.Zero(t, failures.Load(), "failed requests out of %d answered (first error: %v)", answered.Load(), firstErr)
	assert.True(t, readyDuringDrain)
	assert.Contains(t, l.text(), "draining")
}
