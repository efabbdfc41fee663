package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Cache is a Redis client with a circuit breaker, the metrics of its Loaders and, when
// no address is configured, the in-process server it started. It is safe for concurrent
// use. Create it with Open and release it with Close.
type Cache struct {
	cfg      Config
	log      *slog.Logger
	client   redis.UniversalClient
	embedded *embeddedServer // nil with an external Redis
	addr     string
	breaker  *breaker
	trust    *trust
	metrics  *metrics
	batch    *readBatch // nil unless Config.ReadBatchers

	stopLoop context.CancelFunc
	loopDone sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// Open connects to Redis as cfg says, or starts an in-process Redis-compatible server
// when cfg.Addrs is empty. It fails only on a bad Config (errors wrap ErrConfig), when
// the metrics cannot be registered, or when the in-process server cannot start. An
// external Redis that does not answer at start is logged at WARN and Open carries on:
// Gets are answered by their load functions until Redis is reachable.
//
// logger may be nil (nothing is logged); reg may be nil (metrics are not registered).
func Open(ctx context.Context, cfg Config, logger *slog.Logger, reg prometheus.Registerer) (*Cache, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("component", "cache")
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("cache: register metrics: %w", err)
	}
	c := &Cache{cfg: cfg, log: logger, metrics: m}

	addrs := cfg.Addrs
	if len(addrs) == 0 {
		c.embedded, err = startEmbedded(cfg.Username, cfg.Password)
		if err != nil {
			return nil, fmt.Errorf("cache: start in-process redis: %w", err)
		}
		addrs = []string{c.embedded.addr()}
		c.addr = addrs[0]
	} else {
		c.addr = cfg.addr()
	}

	c.client = redis.NewUniversalClient(&redis.UniversalOptions{
		Addrs:                 addrs,
		Username:              cfg.Username,
		Password:              cfg.Password,
		DB:                    cfg.DB,
		PoolSize:              cfg.PoolSize,
		DialTimeout:           cfg.DialTimeout,
		ReadTimeout:           cfg.OpTimeout,
		WriteTimeout:          cfg.OpTimeout,
		ContextTimeoutEnabled: true,
		// One retry covers a pooled connection that died with a Redis restart; more
		// would only delay the fallback to the database. Dial failures are not
		// retried: the circuit breaker decides when to try again.
		MaxRetries:    1,
		DialerRetries: 1,
	})
	c.trust = newTrust(logger, m.untrusted, m.replayed)
	c.breaker = newBreaker(cfg, logger, m.circuitOpen, func() { c.trust.trouble("circuit open") })
	if err := registerPoolStats(reg, c.client); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("cache: register pool metrics: %w", err)
	}

	pctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout+cfg.OpTimeout)
	defer cancel()
	if err := c.client.Ping(pctx).Err(); err != nil {
		logger.Warn("redis does not answer at start; serving from the database until it does",
			"addr", c.addr, "err", err)
	} else {
		logger.Info("redis connected", "addr", c.addr, "embedded", c.Embedded())
	}
	c.startReadBatch()
	loopCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	c.stopLoop = stop
	c.loopDone.Add(1)
	go c.replayLoop(loopCtx)
	return c, nil
}

// Client returns the underlying go-redis client, for callers that need commands this
// package does not wrap (rate-limit counters, deny-lists). Such callers are responsible
// for their own timeouts and fallbacks; keys must still be built with Key.
func (c *Cache) Client() redis.UniversalClient { return c.client }

// Embedded reports whether the in-process server is in use (no address configured).
func (c *Cache) Embedded() bool { return c.embedded != nil }

// Addr returns the address in use: the configured addresses joined by ",", or
// 127.0.0.1:port of the in-process server. It never contains credentials.
func (c *Cache) Addr() string { return c.addr }

// Key returns KeyPrefix followed by parts joined by ":". Parts must not contain personal
// data.
func (c *Cache) Key(parts ...string) string {
	return c.cfg.KeyPrefix + strings.Join(parts, ":")
}

// Ping sends PING with the OpTimeout, bypassing the circuit breaker; for readiness
// probes and diagnostics. Its result does not change the breaker's state.
func (c *Cache) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.OpTimeout)
	defer cancel()
	return c.client.Ping(ctx).Err()
}

// Healthy reports false while the circuit is open, that is while Redis is being skipped
// after consecutive failures. It does not contact Redis. Reads also skip Redis while the
// Cache is not Trusted.
func (c *Cache) Healthy() bool { return !c.breaker.open() }

// Close closes the client and stops the in-process server, if any. Later calls return
// the result of the first one.
func (c *Cache) Close() error {
	c.closeOnce.Do(func() {
		c.stopLoop()
		c.loopDone.Wait()
		if c.batch != nil {
			c.batch.Close() // answers the reads already queued before the client goes
		}
		err := c.client.Close()
		if errors.Is(err, redis.ErrClosed) {
			err = nil
		}
		if c.embedded != nil {
			c.embedded.close()
		}
		c.closeErr = err
	})
	return c.closeErr
}
