package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"skillrecord/internal/app"
	"skillrecord/internal/cache"
	"skillrecord/internal/config"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
)

// serve applies migrations, then serves HTTP until SIGTERM/SIGINT or ctx ends, finishing the
// requests in flight before it returns.
func serve(ctx context.Context, e Env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	cfg, err := config.Load(e.Getenv)
	if err != nil {
		return err
	}
	loggers := newServeLoggers(e.Stdout, cfg.Log.Level)
	defer loggers.out.Close() // last: every line held back is written before serve returns
	log := loggers.log
	announceStorage(log, cfg, e.Version)
	defer tuneGC(e.Getenv, log)()
	redis.SetLogger(redisLog{log}) // the client library's logger is process-wide
	_ = mysql.SetLogger(mysqlLog{log})

	material, err := keys.Load(keys.Settings{
		DataKey: cfg.Keys.Data, IndexKey: cfg.Keys.Index, SigningKey: cfg.Keys.Signing,
		PreviousDataKeys: cfg.Keys.DataPrevious, PreviousSigningKeys: cfg.Keys.SigningPrevious,
	}, cfg.Data.Dir, log)
	if err != nil {
		return err
	}

	db, err := openDB(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer closeQuietly(log, "database", db)

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL(), "skillrecord"),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "skillrecord_db_tx_retries_total",
			Help: "Transactions run again after the database refused them for a passing reason (deadlock, lock-wait timeout, certification or write conflict).",
		}, func() float64 { return float64(db.TxRetries()) }),
	)

	c, err := cache.Open(ctx, cache.Config{
		Addrs: cfg.Redis.Addrs, Username: cfg.Redis.Username, Password: cfg.Redis.Password,
		DB: cfg.Redis.DB, KeyPrefix: cfg.Redis.KeyPrefix, PoolSize: cfg.Redis.PoolSize,
		DialTimeout: cfg.Redis.DialTimeout, OpTimeout: cfg.Redis.OpTimeout,
		BreakerFailures: uint32(cfg.Cache.BreakerFailures), //nolint:gosec // validated to be 1 or more
		BreakerCooldown: cfg.Cache.BreakerCooldown, ReplayInterval: cfg.Cache.ReplayInterval,
		ReadBatchers: cfg.Cache.ReadBatchers,
	}, log, reg)
	if err != nil {
		return err
	}
	defer closeQuietly(log, "cache", c)

	deps := httpapi.Deps{
		Log: log, RequestLog: loggers.requests, RequestLines: loggers.out.Held(), DB: db, Cache: c, Metrics: reg, Version: e.Version, Now: e.Now,
		Limits:         httpapi.Limits{MaxBody: cfg.HTTP.MaxBodyBytes, MaxBatchBody: cfg.HTTP.MaxBatchBodyBytes, MaxBatchUploads: cfg.HTTP.MaxBatchUploads},
		TrustedProxies: cfg.HTTP.TrustedProxies,
		Drain:          &httpapi.Drain{},
	}
	stopApp := app.Wire(&deps, cfg, db, c, material, reg, log, e.Now)
	defer stopApp() // after the HTTP drain, before the database closes
	// The change-event relay (when events.nats_url is set) stops after the HTTP drain, first.
	defer startRelay(cfg, db, reg, log, e.Now)()
	handler, err := httpapi.New(deps)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (SKILLRECORD_HTTP_ADDR): %w", cfg.HTTP.Addr, err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadTimeout:       cfg.HTTP.ReadTimeout,
		ReadHeaderTimeout: cfg.HTTP.ReadHeaderTimeout,
		WriteTimeout:      cfg.HTTP.WriteTimeout,
		IdleTimeout:       cfg.HTTP.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
	if cfg.HTTP.DebugAddr != "" {
		if err := serveDebug(ctx, cfg.HTTP.DebugAddr, log); err != nil {
			return err
		}
	}
	go purgeExpired(ctx, db, log, e.Now)
	log.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.BaseURL())
	// On SIGTERM: drain (readiness 503, Connection: close), shut HTTP down, then the deferred
	// stops run: background writers first, the cache and the database last.
	if err := httpapi.ServeDraining(ctx, srv, ln, deps.Drain, cfg.HTTP.DrainPeriod, cfg.HTTP.ShutdownTimeout, log); err != nil {
		return err
	}
	log.Info("shutdown complete")
	return nil
}

// purgeExpired deletes deny-list entries and refresh tokens past their expiry, hourly, until
// ctx ends. Several instances may run it at once: the deletes are idempotent.
func purgeExpired(ctx context.Context, db *sqlstore.DB, log *slog.Logger, now func() time.Time) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := db.PurgeExpired(ctx, now())
			if err != nil {
				log.Warn("purge of expired tokens failed", "error", err.Error())
				continue
			}
			log.Info("purged expired tokens", "rows", n)
		}
	}
}
