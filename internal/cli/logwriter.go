package cli

import (
	"io"
	"sync"
	"time"
)

// Request lines (one per HTTP request) are most of what the server logs, and writing each to
// its own write system call cost a tenth of the CPU of a cached read under load. They are held
// in memory instead and written together: every requestLogFlush, as soon as requestLogBuffer
// bytes are held, before any other log line (so that the order of the lines is kept), and
// when serve ends. A crash that ends the process without its deferred calls (SIGKILL, the
// kernel's OOM killer, power loss) loses at most requestLogFlush of request lines; every other
// line is written at once.
const (
	requestLogFlush  = 100 * time.Millisecond
	requestLogBuffer = 64 << 10
)

// logWriter is the log's output. Lines written to it go out at once, after the request lines
// held back before them; lines written to its Held side are held back. A request never waits
// for the output while the lines held are written, unless they fill the buffer twice over
// meanwhile.
type logWriter struct {
	out io.Writer

	mu   sync.Mutex // guards buf and shut
	buf  []byte
	shut bool // Close was called: held lines are written at once

	wmu   sync.Mutex // held while writing to out, so that writes keep their order
	spare []byte     // the buffer not in use, under wmu

	kick chan struct{} // the buffer is full: write it now
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// newLogWriter writes to out and writes held lines every interval until Close.
func newLogWriter(out io.Writer, interval time.Duration) *logWriter {
	w := &logWriter{out: out, buf: make([]byte, 0, 2*requestLogBuffer), spare: make([]byte, 0, 2*requestLogBuffer),
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go w.flushEvery(interval)
	return w
}

// Write writes p at once, after whatever is held.
func (w *logWriter) Write(p []byte) (int, error) {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	if err := w.flushLocked(); err != nil {
		return 0, err
	}
	return w.out.Write(p)
}

// Held returns the side of w whose lines are held back and written together.
func (w *logWriter) Held() io.Writer { return heldWriter{w} }

type heldWriter struct{ w *logWriter }

// Write holds p (one log line: slog writes a record in one call). When requestLogBuffer bytes
// are held the writer's goroutine writes them; if it cannot keep up and twice that is held,
// the caller writes them itself.
func (h heldWriter) Write(p []byte) (int, error) {
	w := h.w
	w.mu.Lock()
	if w.shut || len(w.buf)+len(p) > cap(w.buf) {
		w.mu.Unlock()
		return w.Write(p)
	}
	w.buf = append(w.buf, p...)
	full := len(w.buf) >= requestLogBuffer
	w.mu.Unlock()
	if full {
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
	return len(p), nil
}

// flushLocked writes what is held; w.wmu is held. Lines that could not be written are
// dropped, as an unbuffered write's would be.
func (w *logWriter) flushLocked() error {
	w.mu.Lock()
	held := w.buf
	w.buf = w.spare[:0]
	w.mu.Unlock()
	w.spare = held[:0]
	if len(held) == 0 {
		return nil
	}
	_, err := w.out.Write(held)
	return err
}

// Flush writes what is held.
func (w *logWriter) Flush() error {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	return w.flushLocked()
}

func (w *logWriter) flushEvery(interval time.Duration) {
	defer close(w.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		case <-w.kick:
		}
		_ = w.Flush()
	}
}

// Close stops the timer and writes what is held; later lines are written at once.
func (w *logWriter) Close() error {
	w.once.Do(func() {
		close(w.stop)
		<-w.done
	})
	w.mu.Lock()
	w.shut = true
	w.mu.Unlock()
	return w.Flush()
}
