package cache

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
)

// testRedisAddrs is the real Redis the tests use: one node, or the nodes of a Redis Cluster
// (comma-separated in SKILLRECORD_TEST_REDIS_ADDR).
func testRedisAddrs() []string {
	a := os.Getenv("SKILLRECORD_TEST_REDIS_ADDR")
	if a == "" {
		a = "127.0.0.1:6379"
	}
	return strings.Split(a, ",")
}

// requireRedis fails the test when the real Redis does not answer.
func requireRedis(t testing.TB) []string {
	t.Helper()
	addrs := testRedisAddrs()
	cl := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: addrs, DialTimeout: 2 * time.Second, MaxRetries: -1})
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := cl.Ping(ctx).Err(); err != nil {
		t.Fatalf("these tests need a real Redis at %v (set SKILLRECORD_TEST_REDIS_ADDR to change it): %v", addrs, err)
	}
	return addrs
}

// testPrefix returns a random key prefix so parallel test binaries never collide.
func testPrefix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "srtest:" + hex.EncodeToString(b) + ":"
}

// logBuffer collects log output safely from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) count(substr string) int { return strings.Count(l.String(), substr) }

func newTestLogger() (*slog.Logger, *logBuffer) {
	lb := &logBuffer{}
	return slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug})), lb
}

// openTest opens a Cache on cfg (KeyPrefix set to a random one when empty), with a
// fresh registry, and deletes every key under the prefix and closes the Cache when the
// test ends.
func openTest(t testing.TB, cfg Config) (*Cache, *logBuffer) {
	t.Helper()
	if cfg.KeyPrefix == "" {
		cfg.KeyPrefix = testPrefix()
	}
	logger, lb := newTestLogger()
	c, err := Open(context.Background(), cfg, logger, prometheus.NewRegistry())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		deleteKeys(t, c.Client(), cfg.KeyPrefix)
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c, lb
}

// openReal opens a Cache on the real Redis.
func openReal(t testing.TB) (*Cache, *logBuffer) {
	t.Helper()
	return openTest(t, Config{Addrs: requireRedis(t)})
}

// deleteKeys removes every key starting with prefix (best effort), on every master of a
// Redis Cluster.
func deleteKeys(t testing.TB, cl redis.UniversalClient, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if cc, ok := cl.(*redis.ClusterClient); ok {
		_ = cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			deleteKeys(t, node, prefix)
			return nil
		})
		return
	}
	iter := cl.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if iter.Err() != nil {
		return // the server may be gone on purpose
	}
	for _, k := range keys {
		if err := cl.Del(ctx, k).Err(); err != nil {
			t.Logf("cleanup: del: %v", err)
		}
	}
}

// counter reads skillrecord_cache_requests_total{cache=name,result=result}.
func counter(c *Cache, name, result string) float64 {
	return testutil.ToFloat64(c.metrics.requests.WithLabelValues(name, result))
}

// errCounter reads skillrecord_cache_errors_total{cache=name,op=op}.
func errCounter(c *Cache, name, op string) float64 {
	return testutil.ToFloat64(c.metrics.errors.WithLabelValues(name, op))
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// aesSealer is a small AES-GCM Sealer for the tests: nonce || ciphertext.
type aesSealer struct{ aead cipher.AEAD }

func newAESSealer(t testing.TB) *aesSealer {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return &aesSealer{aead: aead}
}

func (s *aesSealer) Seal(plaintext, aad []byte) ([]byte, error) {
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plaintext, aad), nil
}

func (s *aesSealer) Open(blob, aad []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(blob) < n {
		return nil, errors.New("sealed value too short")
	}
	return s.aead.Open(nil, blob[:n], blob[n:], aad)
}
