package testenv

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"skillrecord/internal/sqlstore"
)

// Proxy is a TCP proxy on a free 127.0.0.1 port in front of a real server, for tests of a
// dependency that goes away: Close drops every connection and refuses new ones, while the
// server behind it (the machine's shared MariaDB) is left alone.
type Proxy struct {
	Addr string

	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
	wg     sync.WaitGroup
}

// StartProxy starts a proxy to target (host:port), closed when the test ends.
func StartProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &Proxy{Addr: ln.Addr().String(), ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		if !p.track(c, up) {
			return
		}
		p.wg.Add(2)
		go p.pipe(up, c)
		go p.pipe(c, up)
	}
}

func (p *Proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		for _, c := range conns {
			_ = c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.conns[c] = true
	}
	return true
}

func (p *Proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
}

// Close stops accepting (new connections are refused) and cuts every open connection.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	_ = p.ln.Close()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// MySQLBehindProxy returns a migrated store on a fresh MariaDB database reached through a
// proxy the test can close, and the proxy.
func MySQLBehindProxy(t testing.TB) (*sqlstore.DB, *Proxy) {
	t.Helper()
	cfg, err := mysql.ParseDSN(NewDatabase(t))
	if err != nil {
		t.Fatalf("bad %s: %v", MySQLEnv, err)
	}
	p := StartProxy(t, cfg.Addr)
	cfg.Addr = p.Addr
	cfg.Timeout = 2 * time.Second // a dial that hangs gives up soon
	return open(t, DBConfig(cfg.FormatDSN())), p
}
