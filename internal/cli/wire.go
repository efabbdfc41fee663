package cli

import (
	"context"
	"fmt"
	"log/slog"

	"skillrecord/internal/config"
	"skillrecord/internal/sqlstore"
)

// openDB opens the configured database and, when migrate is set, applies pending migrations.
func openDB(ctx context.Context, cfg *config.Config, log *slog.Logger, migrate bool) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(ctx, sqlstore.Config{
		DSN:             cfg.MySQL.DSN,
		DataDir:         cfg.Data.Dir,
		MaxOpenConns:    cfg.MySQL.MaxOpenConns,
		MaxIdleConns:    cfg.MySQL.MaxIdleConns,
		ConnMaxLifetime: cfg.MySQL.ConnMaxLifetime,
		ConnMaxIdleTime: cfg.MySQL.ConnMaxIdleTime,
		QueryTimeout:    cfg.MySQL.QueryTimeout,
	}, log)
	if err != nil {
		return nil, err
	}
	if !migrate {
		return db, nil
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "dialect", string(db.Dialect()), "versions", applied)
	} else {
		log.Info("database schema is up to date", "dialect", string(db.Dialect()))
	}
	return db, nil
}

// announceStorage writes the first log line: where the data lives, and loudly so when it is
// the embedded default.
func announceStorage(log *slog.Logger, cfg *config.Config, version string) {
	var parts []string
	if cfg.Embedded() {
		parts = append(parts, "embedded SQLite database in "+cfg.Data.Dir)
	}
	if len(cfg.Redis.Addrs) == 0 {
		parts = append(parts, "in-process Redis-compatible cache")
	}
	if len(parts) == 0 {
		log.Info("starting skillrecord", "version", version, "database", "mysql", "cache", "redis")
		return
	}
	msg := "embedded mode: " + parts[0]
	if len(parts) > 1 {
		msg += " and " + parts[1]
	}
	log.Warn(msg+"; set SKILLRECORD_MYSQL_DSN and SKILLRECORD_REDIS_ADDRS for production",
		"version", version, "embedded_database", cfg.Embedded(), "embedded_cache", len(cfg.Redis.Addrs) == 0)
}

func closeQuietly(log *slog.Logger, what string, c interface{ Close() error }) {
	if err := c.Close(); err != nil {
		log.Warn(fmt.Sprintf("closing %s", what), "error", err.Error())
	}
}
