package testenv

import (
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// RedisServerBin is the machine's redis-server, used for tests that stop Redis on purpose.
const RedisServerBin = "/usr/bin/redis-server"

// RedisServer is a dedicated redis-server process owned by one test.
type RedisServer struct {
	Addr string
	cmd  *exec.Cmd
}

// StartRedisServer starts a redis-server on a free loopback port, waits until it answers and
// stops it when the test ends.
func StartRedisServer(t testing.TB) *RedisServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	cmd := exec.Command(RedisServerBin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", RedisServerBin, err)
	}
	s := &RedisServer{Addr: fmt.Sprintf("127.0.0.1:%d", port), cmd: cmd}
	t.Cleanup(s.Kill)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", s.Addr, 200*time.Millisecond); err == nil {
			_ = c.Close()
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s does not answer", s.Addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill stops the server at once (SIGKILL), as a crash would.
func (s *RedisServer) Kill() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// Pause freezes the server (SIGSTOP): connections stay open and commands get no answer, as
// during a long stall. Resume undoes it; Kill works on a paused server.
func (s *RedisServer) Pause() {
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		panic("pause redis-server: " + err.Error())
	}
}

// Resume lets a paused server answer again (SIGCONT).
func (s *RedisServer) Resume() {
	if err := s.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		panic("resume redis-server: " + err.Error())
	}
}
