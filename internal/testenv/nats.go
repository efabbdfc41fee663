package testenv

import (
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// NATSServerBin is the machine's nats-server, used by tests that need a JetStream of their own
// (the machine's shared one on 4222 is never stopped by a test, and a stream of subjects
// skillrecord.> may exist only once per server).
const NATSServerBin = "/usr/sbin/nats-server"

// NATSServer is a dedicated nats-server process with JetStream, owned by one test. Its store
// directory outlives Kill, so Start brings the same streams back.
type NATSServer struct {
	URL  string
	port int
	dir  string
	t    testing.TB
	cmd  *exec.Cmd
}

// StartNATSServer starts nats-server -js on a free loopback port with a store in a temporary
// directory, waits until it answers and stops it when the test ends.
func StartNATSServer(t testing.TB) *NATSServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	s := &NATSServer{URL: fmt.Sprintf("nats://127.0.0.1:%d", port), port: port, dir: t.TempDir(), t: t}
	t.Cleanup(s.Kill)
	s.Start()
	return s
}

// Start (re)starts the server on its port and store, and waits until it answers.
func (s *NATSServer) Start() {
	s.t.Helper()
	s.cmd = exec.Command(NATSServerBin, "-js", "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-sd", s.dir)
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start %s: %v", NATSServerBin, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.port), 200*time.Millisecond); err == nil {
			_ = c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("nats-server on port %d does not answer", s.port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Kill stops the server at once (SIGKILL), as a crash would.
func (s *NATSServer) Kill() {
	if s.cmd == nil || s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}
