package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL flavour in use.
type Dialect string

// The dialects skillrecord runs on.
const (
	MySQL  Dialect = "mysql"
	SQLite Dialect = "sqlite"
)

// Config holds what Open needs; it mirrors the mysql.* and data.dir settings.
type Config struct {
	DSN             string // go-sql-driver DSN; empty selects SQLite under DataDir
	DataDir         string
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	ConnMaxIdleTime time.Duration
	QueryTimeout    time.Duration // upper bound on one request's database work; 0 = none
}

// SQLiteFile is the embedded database's file name inside the data directory.
const SQLiteFile = "skillrecord.db"

// DB is an open database with its dialect.
type DB struct {
	gorm         *gorm.DB
	sql          *sql.DB
	dialect      Dialect
	location     string // the file path (SQLite) or host/database (MySQL): never the password
	queryTimeout time.Duration

	accessWritten func(n int)      // OnAccessEventsWritten; nil = nobody counts
	statements    statementCounter // nil unless a test counts statements

	// insertReturning: the server answers INSERT … RETURNING with the rows in insert order
	// (MariaDB 10.5 and later), so a group's audit events are one statement.
	insertReturning bool

	txRetries atomic.Uint64 // transactions run again after a retryable refusal (TxRetries)
}

// TxRetries returns how many times a transaction was run again because the database refused
// it for a passing reason (a deadlock, a lock-wait timeout, a certification or write
// conflict: IsRetryable). A steady rise means writes that wait for each other.
func (db *DB) TxRetries() uint64 { return db.txRetries.Load() }

// Open connects and checks the connection. It does not migrate.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*DB, error) {
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // single statements need no wrapping transaction
		PrepareStmt:            false,
		TranslateError:         false, // translated by this package, with the codes we need
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	db := &DB{queryTimeout: cfg.QueryTimeout}
	var dialector gorm.Dialector
	if cfg.DSN == "" {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		path := filepath.Join(cfg.DataDir, SQLiteFile)
		dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
		dialector = sqlite.Open(dsn)
		db.dialect, db.location = SQLite, path
	} else {
		mc, err := mysql.ParseDSN(cfg.DSN)
		if err != nil {
			// The driver's message may quote the DSN, which holds the password: say only where.
			return nil, fmt.Errorf("invalid setting SKILLRECORD_MYSQL_DSN (mysql.dsn): not a valid go-sql-driver DSN")
		}
		mc.ParseTime = true
		mc.Loc = time.UTC
		mc.InterpolateParams = true // one round trip per query instead of prepare/execute/close
		if mc.Params == nil {
			mc.Params = map[string]string{}
		}
		mc.Params["time_zone"] = "'+00:00'"
		dialector = gormmysql.New(gormmysql.Config{DSNConfig: mc, DSN: mc.FormatDSN()})
		db.dialect, db.location = MySQL, mc.Addr+"/"+mc.DBName
	}
	g, err := gorm.Open(dialector, gcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database at %s: %w", db.dialect, db.location, redactDSN(err))
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if err := boundStatements(g, cfg.QueryTimeout); err != nil {
		return nil, fmt.Errorf("register query timeout: %w", err)
	}
	if err := classifyOutages(g); err != nil {
		return nil, fmt.Errorf("register error classification: %w", err)
	}
	if db.dialect == SQLite {
		// One writer at a time is SQLite's model; a small pool keeps readers concurrent.
		sqlDB.SetMaxOpenConns(min(cfg.MaxOpenConns, 4))
	} else {
		sqlDB.SetMaxOpenConns(cfg.MaxOpenConns)
	}
	sqlDB.SetMaxIdleConns(cfg.MaxIdleConns)
	sqlDB.SetConnMaxLifetime(cfg.ConnMaxLifetime)
	sqlDB.SetConnMaxIdleTime(cfg.ConnMaxIdleTime)
	db.gorm, db.sql = g, sqlDB

	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database at %s: %w", db.dialect, db.location, redactDSN(err))
	}
	if db.dialect == MySQL {
		var version, charset string
		if err := sqlDB.QueryRowContext(pctx, "SELECT VERSION(), @@character_set_connection").Scan(&version, &charset); err != nil {
			_ = sqlDB.Close()
			return nil, fmt.Errorf("read the version of the database at %s: %w", db.location, redactDSN(err))
		}
		// The statements carry their strings in their text (interpolated values, and the
		// batch statements' literals, literal.go), which the server reads in the connection's
		// character set: anything but UTF-8 would store names and course titles wrong.
		switch charset {
		case "utf8mb4":
		case "utf8", "utf8mb3":
			log.Warn("the database connections use utf8mb3: characters outside the Basic Multilingual Plane (some rare hanzi) are lost; leave charset out of mysql.dsn or set charset=utf8mb4",
				"location", db.location)
		default:
			_ = sqlDB.Close()
			return nil, fmt.Errorf("the connections to the database at %s use the character set %s; skillrecord needs utf8mb4 (leave charset out of mysql.dsn, or set charset=utf8mb4)", db.location, charset)
		}
		db.insertReturning = mariaDBReturning(version)
	}
	log.Debug("database open", "dialect", string(db.dialect), "location", db.location)
	return db, nil
}

// redactDSN drops driver errors that could carry the DSN; the rest pass through.
func redactDSN(err error) error {
	var me *mysql.MySQLError
	if ok := asErr(err, &me); ok {
		return fmt.Errorf("mysql error %d", me.Number)
	}
	return err
}

// Dialect reports the SQL flavour.
func (db *DB) Dialect() Dialect { return db.dialect }

// Location is where the data lives (file path or host/database), safe to log.
func (db *DB) Location() string { return db.location }

// SQL returns the underlying pool (for migrations and pool metrics).
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Stats returns the pool statistics.
func (db *DB) Stats() sql.DBStats { return db.sql.Stats() }

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }

// mariaDBReturning reports whether a server of this VERSION() is MariaDB 10.5 or later, which
// answers INSERT … RETURNING.
func mariaDBReturning(version string) bool {
	if !strings.Contains(version, "MariaDB") {
		return false
	}
	var major, minor int
	if _, err := fmt.Sscanf(version, "%d.%d", &major, &minor); err != nil {
		return false
	}
	return major > 10 || (major == 10 && minor >= 5)
}
