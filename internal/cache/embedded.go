package cache

import (
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// embeddedTick is how often the in-process server's TTLs are advanced. miniredis does
// not expire keys by itself (it is built for tests), so a goroutine moves its clock; keys
// therefore expire up to one tick late.
const embeddedTick = time.Second

// embeddedServer is a miniredis listening on 127.0.0.1 with a goroutine that makes its
// TTLs follow the wall clock.
type embeddedServer struct {
	srv  *miniredis.Miniredis
	stop chan struct{}
	done sync.WaitGroup
}

// startEmbedded starts miniredis on a free loopback port. If password is set the server
// requires it (with username, when set).
func startEmbedded(username, password string) (*embeddedServer, error) {
	srv := miniredis.NewMiniRedis()
	switch {
	case username != "" && password != "":
		srv.RequireUserAuth(username, password)
	case password != "":
		srv.RequireAuth(password)
	}
	if err := srv.StartAddr("127.0.0.1:0"); err != nil {
		return nil, err
	}
	e := &embeddedServer{srv: srv, stop: make(chan struct{})}
	e.done.Add(1)
	go e.clock()
	return e, nil
}

// clock advances the server's TTLs by the elapsed wall-clock time every embeddedTick.
func (e *embeddedServer) clock() {
	defer e.done.Done()
	t := time.NewTicker(embeddedTick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-e.stop:
			return
		case now := <-t.C:
			if d := now.Sub(last); d > 0 {
				e.srv.FastForward(d)
				last = now
			}
		}
	}
}

func (e *embeddedServer) addr() string { return e.srv.Addr() }

// close stops the clock goroutine and the server.
func (e *embeddedServer) close() {
	close(e.stop)
	e.done.Wait()
	e.srv.Close()
}
