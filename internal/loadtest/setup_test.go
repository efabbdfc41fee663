package loadtest_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"skillrecord/internal/apitest"
)

// moduleRoot is the directory of go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := osexec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

// goBuild builds pkg (relative to the module root) into dir and returns the binary's path.
func goBuild(t *testing.T, root, pkg, out string) string {
	t.Helper()
	cmd := osexec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// exec runs a command of the binary to its end and returns its output.
func exec(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	cmd := osexec.Command(name, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is a started server, stopped (SIGTERM, by its pid) when the test ends.
type process struct {
	cmd *osexec.Cmd
}

func start(t *testing.T, env []string, stdout io.Writer, name string, args ...string) *process {
	t.Helper()
	cmd := osexec.Command(name, args...)
	cmd.Env = env
	cmd.Stdout = stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &process{cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return p
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes.
func (p *process) peakRSS(t *testing.T) int64 {
	t.Helper()
	return procStatus(t, p.cmd.Process.Pid, "VmHWM:")
}

// rss returns the process's resident set now (VmRSS) in bytes.
func (p *process) rss(t *testing.T) int64 {
	t.Helper()
	return procStatus(t, p.cmd.Process.Pid, "VmRSS:")
}

// cpu returns the CPU time (user and system) the process has used so far.
func (p *process) cpu(t *testing.T) time.Duration {
	t.Helper()
	d, err := pidCPU(p.cmd.Process.Pid)
	if err != nil {
		t.Fatalf("read process stat: %v", err)
	}
	return d
}

// pidCPU returns the CPU time (user and system) process pid has used so far.
func pidCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name (in parentheses, which may hold spaces): utime and
	// stime are the 12th and 13th of them, in clock ticks.
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("read /proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// backingServer is a database or cache server process on this machine, found by its command
// name, whose CPU time the run charges to the path it serves; pid 0: not found (another
// machine, or no permission), and its column stays empty.
type backingServer struct {
	name string
	pid  int
}

// findServer returns the first process on this machine whose command name is one of names.
func findServer(names ...string) backingServer {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(d + "/comm")
		if err != nil {
			continue
		}
		for _, n := range names {
			if strings.TrimSpace(string(comm)) == n {
				pid, _ := strconv.Atoi(filepath.Base(d))
				return backingServer{name: n, pid: pid}
			}
		}
	}
	return backingServer{}
}

// cpu is the server's CPU time so far, or 0 when it is not known.
func (s backingServer) cpu() time.Duration {
	if s.pid == 0 {
		return 0
	}
	d, err := pidCPU(s.pid)
	if err != nil {
		return 0
	}
	return d
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat's times (100 on Linux).
const clockTicks = 100

// selfCPU returns the CPU time (user and system) this process has used so far.
func selfCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func procStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read process status: %v", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), field); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err != nil {
				t.Fatalf("read %s of process %d: %v", field, pid, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// waitReady polls url until it answers 200.
func waitReady(t *testing.T, u string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		res, err := http.Get(u)
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not become ready", u)
}

// apiClient is the contract-checking test client, talking to the running binary.
func apiClient(t *testing.T, base string) *apitest.Client {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return apitest.New(t, httputil.NewSingleHostReverseProxy(u))
}
