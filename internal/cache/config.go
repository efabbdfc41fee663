package cache

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Config says how to reach Redis and how patient to be with it.
//
// Zero values get defaults (see Config.withDefaults): DialTimeout 1s, OpTimeout 200ms,
// BreakerFailures 5, BreakerCooldown 10s, ReplayInterval 500ms, PoolSize the go-redis default.
type Config struct {
	// Addrs lists host:port addresses. Empty: start an in-process Redis-compatible
	// server (miniredis) on 127.0.0.1. One: a single node. Several: Redis Cluster seeds
	// (redis.NewUniversalClient semantics).
	Addrs []string
	// Username and Password authenticate (Redis ACL); both may be empty. When the
	// in-process server is used and Password is set, it requires them too.
	Username, Password string
	// DB is the database number; it must be 0 for Redis Cluster.
	DB int
	// KeyPrefix starts every key this package builds, e.g. "sr:". It must not contain
	// '{' or '}', which would break the Cluster hash tags of Loader keys.
	KeyPrefix string
	// PoolSize is the connection pool size per node (0: go-redis default).
	PoolSize int
	// DialTimeout bounds establishing one connection; OpTimeout bounds one command
	// (read and write timeout, and the context deadline of every call this package makes).
	DialTimeout, OpTimeout time.Duration
	// BreakerFailures is the number of consecutive failed Redis calls that opens the
	// circuit.
	BreakerFailures uint32
	// BreakerCooldown is how long the circuit stays open before one trial request is let
	// through.
	BreakerCooldown time.Duration
	// ReplayInterval is how often the Cache replays the invalidations that could not reach
	// Redis (its own and, through the Journal, every instance's) and checks that Redis
	// answers. It also bounds how long an instance that saw no Redis trouble at all can
	// trust an entry whose invalidation failed on another instance (see the package doc).
	ReplayInterval time.Duration
	// ReadBatchers, when above 0, is the number of goroutines that send the reads of
	// concurrent requests to Redis together, one round trip for all the reads queued at
	// that moment (see batch.go). 0: every request sends its own.
	ReadBatchers int
}

// Defaults applied by Open to zero fields of Config.
const (
	DefaultDialTimeout     = time.Second
	DefaultOpTimeout       = 200 * time.Millisecond
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 10 * time.Second
	DefaultReplayInterval  = 500 * time.Millisecond
)

// ErrConfig is wrapped by every error Open returns for a bad Config.
var ErrConfig = errors.New("cache: invalid config")

// withDefaults returns a copy of cfg with zero fields set to their defaults.
func (cfg Config) withDefaults() Config {
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = DefaultDialTimeout
	}
	if cfg.OpTimeout == 0 {
		cfg.OpTimeout = DefaultOpTimeout
	}
	if cfg.BreakerFailures == 0 {
		cfg.BreakerFailures = DefaultBreakerFailures
	}
	if cfg.BreakerCooldown == 0 {
		cfg.BreakerCooldown = DefaultBreakerCooldown
	}
	if cfg.ReplayInterval == 0 {
		cfg.ReplayInterval = DefaultReplayInterval
	}
	cfg.Addrs = append([]string(nil), cfg.Addrs...)
	return cfg
}

// validate reports the first problem of cfg, wrapped in ErrConfig. Error messages name
// fields and addresses but never the password.
func (cfg Config) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	for i, a := range cfg.Addrs {
		host, port, err := net.SplitHostPort(a)
		if err != nil || host == "" {
			// Do not echo the value: a URL here may carry a password.
			return bad("addrs[%d] is not host:port", i)
		}
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			return bad("addrs[%d] has an invalid port", i)
		}
	}
	switch {
	case cfg.DB < 0:
		return bad("db must not be negative")
	case cfg.DB != 0 && len(cfg.Addrs) > 1:
		return bad("db must be 0 with Redis Cluster (several addrs)")
	case strings.ContainsAny(cfg.KeyPrefix, "{}"):
		return bad("key prefix must not contain '{' or '}'")
	case cfg.ReadBatchers < 0:
		return bad("read batchers must not be negative")
	case cfg.PoolSize < 0:
		return bad("pool size must not be negative")
	case cfg.DialTimeout < 0, cfg.OpTimeout < 0, cfg.BreakerCooldown < 0, cfg.ReplayInterval < 0:
		return bad("timeouts must not be negative")
	}
	return nil
}

// addr is the address shown by Cache.Addr: the configured addresses, comma-separated.
func (cfg Config) addr() string { return strings.Join(cfg.Addrs, ",") }
