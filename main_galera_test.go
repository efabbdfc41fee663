package main

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/testenv"
)

// Two `serve` processes (this test binary in main mode) started together on two nodes of a
// Galera cluster, on a database that has no tables yet: one applies the migrations, the other
// waits for it, and both serve. Skipped without a cluster (make test-cluster starts one).
func TestServe_TwoProcessesStartingTogetherOnTwoGaleraNodesMigrateOnce(t *testing.T) {
	dsns := testenv.GaleraDatabase(t)
	exe, err := os.Executable()
	require.NoError(t, err)
	var (
		logs   []*lines
		exits  []chan error
		starts []*exec.Cmd
	)
	for _, dsn := range []string{dsns[0], dsns[len(dsns)-1]} {
		cmd := exec.Command(exe, "serve")
		cmd.Env = append(os.Environ(), execMainEnv+"=1",
			"SKILLRECORD_HTTP_ADDR=127.0.0.1:0", "SKILLRECORD_DATA_DIR="+t.TempDir(),
			"SKILLRECORD_CONFIG=configs/skillrecord.yaml", "SKILLRECORD_DRAIN_PERIOD=100ms",
			"SKILLRECORD_MYSQL_DSN="+dsn, "SKILLRECORD_REDIS_ADDRS="+testenv.RedisAddr(t))
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		cmd.Stderr = cmd.Stdout
		starts = append(starts, cmd)
		l := newLines()
		go l.consume(stdout)
		logs = append(logs, l)
	}
	for _, cmd := range starts { // as close together as two processes can start
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		exits = append(exits, exited)
	}
	migrated := 0
	for i, l := range logs {
		addr := waitAddr(t, l, exits[i])
		status, body := getJSON(t, "http://"+addr+"/readyz")
		assert.Equalf(t, 200, status, "instance %d is ready: %v", i, body)
		if strings.Contains(l.text(), "migrations applied") {
			migrated++
		} else {
			assert.Containsf(t, l.text(), "database schema is up to date", "instance %d", i)
		}
	}
	assert.Equal(t, 1, migrated, "exactly one instance applies the migrations")
	for i, cmd := range starts {
		require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		assert.NoErrorf(t, <-exits[i], "instance %d exits cleanly", i)
	}
}
