package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is an io.Writer that keeps each Write as one call, for counting system calls.
type recorder struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	calls int
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	return r.buf.Write(p)
}

func (r *recorder) text() (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buf.String(), r.calls
}

func TestLogWriter_HeldLinesGoOutTogetherOnTheTimer(t *testing.T) {
	out := &recorder{}
	w := newLogWriter(out, 20*time.Millisecond)
	defer w.Close()
	for range 100 {
		_, err := w.Held().Write([]byte("request\n"))
		require.NoError(t, err)
	}
	text, calls := out.text()
	assert.Empty(t, text, "held lines are not written at once")
	assert.Zero(t, calls)
	require.Eventually(t, func() bool {
		text, _ := out.text()
		return text == strings.Repeat("request\n", 100)
	}, 5*time.Second, 5*time.Millisecond, "the timer writes the held lines")
	_, calls = out.text()
	assert.Equal(t, 1, calls, "one write for all of them")
}

func TestLogWriter_AnImmediateLineFollowsTheHeldOnes(t *testing.T) {
	out := &recorder{}
	w := newLogWriter(out, time.Hour)
	defer w.Close()
	_, _ = w.Held().Write([]byte("request 1\n"))
	_, _ = w.Held().Write([]byte("request 2\n"))
	_, err := w.Write([]byte("error\n"))
	require.NoError(t, err)
	text, calls := out.text()
	assert.Equal(t, "request 1\nrequest 2\nerror\n", text, "the order of the lines is kept")
	assert.Equal(t, 2, calls, "the held lines in one write, then the line itself")
}

func TestLogWriter_AFullBufferIsWrittenWithoutWaitingForTheTimer(t *testing.T) {
	out := &recorder{}
	w := newLogWriter(out, time.Hour)
	defer w.Close()
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range requestLogBuffer / len(line) {
		_, _ = w.Held().Write(line)
	}
	require.Eventually(t, func() bool {
		text, _ := out.text()
		return len(text) == requestLogBuffer
	}, 5*time.Second, 5*time.Millisecond, "a buffer's worth goes out at once")
	_, calls := out.text()
	assert.Equal(t, 1, calls, "in one write")

	big := []byte(strings.Repeat("y", 2*requestLogBuffer+1) + "\n")
	_, _ = w.Held().Write(line)
	_, _ = w.Held().Write(big)
	text, _ := out.text()
	assert.Equal(t, requestLogBuffer+len(line)+len(big), len(text), "a line over the buffer goes out at once, after the held one")
	assert.True(t, strings.HasSuffix(text, string(line)+string(big)))
}

func TestLogWriter_CloseWritesWhatIsHeldAndLaterLinesGoOutAtOnce(t *testing.T) {
	out := &recorder{}
	w := newLogWriter(out, time.Hour)
	_, _ = w.Held().Write([]byte("request 1\n"))
	require.NoError(t, w.Close())
	text, _ := out.text()
	assert.Equal(t, "request 1\n", text)
	_, _ = w.Held().Write([]byte("request 2\n"))
	text, _ = out.text()
	assert.Equal(t, "request 1\nrequest 2\n", text, "nothing is held after Close")
	require.NoError(t, w.Close(), "Close twice is harmless")
}
