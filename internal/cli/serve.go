package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"skillrecord/internal/app"
	"skillrecord/internal/cache"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/keys"
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

	cfg, log, err := loadConfig(e)
	if err != nil {
		return err
	}
	announceStorage(log, cfg, e.Version)

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
	)

	c, err := cache.Open(ctx, cache.Config{
		Addrs: cfg.Redis.Addrs, Username: cfg.Redis.Username, Password: cfg.Redis.Password,
		DB: cfg.Redis.DB, KeyPrefix: cfg.Redis.KeyPrefix, PoolSize: cfg.Redis.PoolSize,
		DialTimeout: cfg.Redis.DialTimeout, OpTimeout: cfg.Redis.OpTimeout,
		BreakerFailures: uint32(cfg.Cache.BreakerFailures), //nolint:gosec // validated to be 1 or more
		BreakerCooldown: cfg.Cache.BreakerCooldown,
	}, log, reg)
	if err != nil {
		return err
	}
	defer closeQuietly(log, "cache", c)

	deps := httpapi.Deps{
		Log: log, DB: db, Cache: c, Metrics: reg, Version: e.Version, Now: e.Now,
		Limits:         httpapi.Limits{MaxBody: cfg.HTTP.MaxBodyBytes, MaxBatchBody: cfg.HTTP.MaxBatchBodyBytes},
		TrustedProxies: cfg.HTTP.TrustedProxies,
	}
	app.Wire(&deps, cfg, db, c, material, reg, log, e.Now)
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
	log.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.BaseURL())
	if err := httpapi.Serve(ctx, srv, ln, cfg.HTTP.ShutdownTimeout, log); err != nil {
		return err
	}
	log.Info("shutdown complete")
	return nil
}
