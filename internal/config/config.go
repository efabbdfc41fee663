package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // the bureau's time zone must load on machines without zoneinfo
)

// Config is every setting of the service. Each leaf field carries its key in the settings file
// (`setting`) and its environment variable (`env`); both are part of the operator contract.
type Config struct {
	HTTP       HTTP
	MySQL      MySQL
	Redis      Redis
	Cache      Cache
	Access     Access
	Data       Data
	Keys       Keys
	Auth       Auth
	Credential Credential
	Quota      Quota
	Shares     Shares
	Events     Events
	Log        Log
	Subsidy    Subsidy
	// TimeZone is the bureau's time zone (an IANA name): class dates and session times are
	// read in it.
	TimeZone string `setting:"time_zone" env:"SKILLRECORD_TIME_ZONE"`
}

// Location is the bureau's time zone (validated by Load).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.FixedZone("CST", 8*60*60) // cannot happen after Load: validate refused it
	}
	return loc
}

// Subsidy holds the settings of subsidy claims: how long an approved claim's public notice
// (公示) runs before it may be paid, and the window within which one occupation and level is
// subsidised at most once per worker (0 = ever).
type Subsidy struct {
	NoticePeriod      time.Duration `setting:"subsidy.notice_period" env:"SKILLRECORD_NOTICE_PERIOD"`
	RepeatWindowYears int           `setting:"subsidy.repeat_window_years" env:"SKILLRECORD_SUBSIDY_REPEAT_WINDOW_YEARS"`
}

// Events holds the settings of the change-event relay.
type Events struct {
	NATSURL    string `setting:"events.nats_url" env:"SKILLRECORD_EVENTS_NATS_URL" secret:"true"` // may hold a user and password
	NATSStream string `setting:"events.nats_stream" env:"SKILLRECORD_EVENTS_NATS_STREAM"`
}

// Credential holds the settings of signed verifiable credentials.
type Credential struct {
	IssuerName string `setting:"credential.issuer_name" env:"SKILLRECORD_CREDENTIAL_ISSUER_NAME"`
}

// Auth holds the token and sign-in settings.
type Auth struct {
	Issuer                string        `setting:"auth.issuer" env:"SKILLRECORD_AUTH_ISSUER"`
	Audience              string        `setting:"auth.audience" env:"SKILLRECORD_AUTH_AUDIENCE"`
	AccessTTL             time.Duration `setting:"auth.access_ttl" env:"SKILLRECORD_AUTH_ACCESS_TTL"`
	RefreshTTL            time.Duration `setting:"auth.refresh_ttl" env:"SKILLRECORD_AUTH_REFRESH_TTL"`
	MaxFailuresPerAccount int           `setting:"auth.max_failures_per_account" env:"SKILLRECORD_AUTH_MAX_FAILURES_PER_ACCOUNT"`
	MaxFailuresPerIP      int           `setting:"auth.max_failures_per_ip" env:"SKILLRECORD_AUTH_MAX_FAILURES_PER_IP"`
	FailureWindow         time.Duration `setting:"auth.failure_window" env:"SKILLRECORD_AUTH_FAILURE_WINDOW"`
	// MaxActivationFailuresPerSSN limits failed activations for one SSN (counted under its
	// blind index) within FailureWindow, from whatever addresses they come.
	MaxActivationFailuresPerSSN int `setting:"auth.max_activation_failures_per_ssn" env:"SKILLRECORD_AUTH_MAX_ACTIVATION_FAILURES_PER_SSN"`
}

// TokenIssuer is the iss claim: auth.issuer, or the public base URL.
func (c *Config) TokenIssuer() string {
	if c.Auth.Issuer != "" {
		return c.Auth.Issuer
	}
	return c.BaseURL()
}

// HTTP holds the listener's settings.
type HTTP struct {
	Addr              string        `setting:"http.addr" env:"SKILLRECORD_HTTP_ADDR"`
	PublicURL         string        `setting:"http.public_url" env:"SKILLRECORD_PUBLIC_URL"`
	ReadTimeout       time.Duration `setting:"http.read_timeout" env:"SKILLRECORD_HTTP_READ_TIMEOUT"`
	ReadHeaderTimeout time.Duration `setting:"http.read_header_timeout" env:"SKILLRECORD_HTTP_READ_HEADER_TIMEOUT"`
	WriteTimeout      time.Duration `setting:"http.write_timeout" env:"SKILLRECORD_HTTP_WRITE_TIMEOUT"`
	IdleTimeout       time.Duration `setting:"http.idle_timeout" env:"SKILLRECORD_HTTP_IDLE_TIMEOUT"`
	ShutdownTimeout   time.Duration `setting:"http.shutdown_timeout" env:"SKILLRECORD_HTTP_SHUTDOWN_TIMEOUT"`
	MaxBodyBytes      int64         `setting:"http.max_body_bytes" env:"SKILLRECORD_HTTP_MAX_BODY_BYTES"`
	MaxBatchBodyBytes int64         `setting:"http.max_batch_body_bytes" env:"SKILLRECORD_HTTP_MAX_BATCH_BODY_BYTES"`
	MaxBatchUploads   int           `setting:"http.max_batch_uploads" env:"SKILLRECORD_HTTP_MAX_BATCH_UPLOADS"`
	TrustedProxies    []string      `setting:"http.trusted_proxies" env:"SKILLRECORD_HTTP_TRUSTED_PROXIES"`
	// DrainPeriod is how long the instance keeps serving after SIGTERM, with /readyz answering
	// 503 and every answer closing its connection, before it stops accepting; 0 = none.
	DrainPeriod time.Duration `setting:"http.drain_period" env:"SKILLRECORD_DRAIN_PERIOD"`
	// DebugAddr is where net/http/pprof listens; empty (the default) = no debug listener.
	DebugAddr string `setting:"http.debug_addr" env:"SKILLRECORD_DEBUG_ADDR"`
}

// MySQL holds the database settings. An empty DSN selects the embedded SQLite database.
type MySQL struct {
	DSN             string        `setting:"mysql.dsn" env:"SKILLRECORD_MYSQL_DSN" secret:"true"`
	MaxOpenConns    int           `setting:"mysql.max_open_conns" env:"SKILLRECORD_MYSQL_MAX_OPEN_CONNS"`
	MaxIdleConns    int           `setting:"mysql.max_idle_conns" env:"SKILLRECORD_MYSQL_MAX_IDLE_CONNS"`
	ConnMaxLifetime time.Duration `setting:"mysql.conn_max_lifetime" env:"SKILLRECORD_MYSQL_CONN_MAX_LIFETIME"`
	ConnMaxIdleTime time.Duration `setting:"mysql.conn_max_idle_time" env:"SKILLRECORD_MYSQL_CONN_MAX_IDLE_TIME"`
	QueryTimeout    time.Duration `setting:"mysql.query_timeout" env:"SKILLRECORD_MYSQL_QUERY_TIMEOUT"`
}

// Redis holds the cache settings. No address selects the in-process server.
type Redis struct {
	Addrs       []string      `setting:"redis.addrs" env:"SKILLRECORD_REDIS_ADDRS"`
	Username    string        `setting:"redis.username" env:"SKILLRECORD_REDIS_USERNAME"`
	Password    string        `setting:"redis.password" env:"SKILLRECORD_REDIS_PASSWORD" secret:"true"`
	DB          int           `setting:"redis.db" env:"SKILLRECORD_REDIS_DB"`
	KeyPrefix   string        `setting:"redis.key_prefix" env:"SKILLRECORD_REDIS_KEY_PREFIX"`
	PoolSize    int           `setting:"redis.pool_size" env:"SKILLRECORD_REDIS_POOL_SIZE"`
	DialTimeout time.Duration `setting:"redis.dial_timeout" env:"SKILLRECORD_REDIS_DIAL_TIMEOUT"`
	OpTimeout   time.Duration `setting:"redis.op_timeout" env:"SKILLRECORD_REDIS_OP_TIMEOUT"`
}

// Cache holds the circuit-breaker settings that decide when Redis is bypassed.
type Cache struct {
	BreakerFailures int           `setting:"cache.breaker_failures" env:"SKILLRECORD_CACHE_BREAKER_FAILURES"`
	BreakerCooldown time.Duration `setting:"cache.breaker_cooldown" env:"SKILLRECORD_CACHE_BREAKER_COOLDOWN"`
	// ReplayInterval is how often failed invalidations are replayed and Redis is checked.
	ReplayInterval time.Duration `setting:"cache.replay_interval" env:"SKILLRECORD_CACHE_REPLAY_INTERVAL"`
	// ReadBatchers is the number of goroutines that send concurrent requests' cache reads to
	// Redis together (0: each request its own round trip).
	ReadBatchers int `setting:"cache.read_batchers" env:"SKILLRECORD_CACHE_READ_BATCHERS"`
}

// Access holds the settings of the access log's group commit (verifications' events).
type Access struct {
	// Committers is the number of goroutines that write verifications' access events, each
	// taking every event queued at that moment into one multi-row insert: fewer make larger
	// groups (less database work an event), more overlap the commits.
	Committers int `setting:"access.committers" env:"SKILLRECORD_ACCESS_COMMITTERS"`
}

// Data holds the data directory (embedded database, development keys).
type Data struct {
	Dir string `setting:"data.dir" env:"SKILLRECORD_DATA_DIR"`
}

// Keys holds the secrets, base64-encoded. Empty ones are generated into the data directory.
type Keys struct {
	Data            string   `setting:"keys.data" env:"SKILLRECORD_DATA_KEY" secret:"true"`
	DataPrevious    []string `setting:"keys.data_previous" env:"SKILLRECORD_DATA_KEYS_PREVIOUS" secret:"true"`
	Index           string   `setting:"keys.index" env:"SKILLRECORD_INDEX_KEY" secret:"true"`
	Signing         string   `setting:"keys.signing" env:"SKILLRECORD_SIGNING_KEY" secret:"true"`
	SigningPrevious []string `setting:"keys.signing_previous" env:"SKILLRECORD_SIGNING_KEYS_PREVIOUS" secret:"true"`
}

// Log holds the logging settings.
type Log struct {
	Level string `setting:"log.level" env:"SKILLRECORD_LOG_LEVEL"`
}

// Embedded reports whether the database is the embedded SQLite file.
func (c *Config) Embedded() bool { return c.MySQL.DSN == "" }

// BaseURL is the public base URL: http.public_url, or http:// + the listen address.
func (c *Config) BaseURL() string {
	if c.HTTP.PublicURL != "" {
		return strings.TrimRight(c.HTTP.PublicURL, "/")
	}
	return "http://" + c.HTTP.Addr
}

// SettingError names the setting that is wrong. Its text is one line and never contains the
// value of a secret setting.
type SettingError struct {
	Setting string // key in the settings file, e.g. http.addr
	Env     string // environment variable, e.g. SKILLRECORD_HTTP_ADDR
	Problem string
}

func (e *SettingError) Error() string {
	if e.Env == "" {
		return fmt.Sprintf("invalid setting %s: %s", e.Setting, e.Problem)
	}
	return fmt.Sprintf("invalid setting %s (%s): %s", e.Env, e.Setting, e.Problem)
}

func (c *Config) validate() error {
	bad := func(field, problem string) error {
		f, _ := fieldByKey(field)
		return &SettingError{Setting: field, Env: f.env, Problem: problem}
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
		return bad("http.addr", "want host:port")
	}
	if c.HTTP.DebugAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTP.DebugAddr); err != nil {
			return bad("http.debug_addr", "want host:port, or empty for no debug listener")
		}
	}
	if c.HTTP.PublicURL != "" {
		u, err := url.Parse(c.HTTP.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("http.public_url", "want an absolute http(s) URL")
		}
	}
	for key, d := range map[string]time.Duration{
		"http.read_timeout": c.HTTP.ReadTimeout, "http.read_header_timeout": c.HTTP.ReadHeaderTimeout,
		"http.write_timeout": c.HTTP.WriteTimeout, "http.idle_timeout": c.HTTP.IdleTimeout,
		"http.shutdown_timeout": c.HTTP.ShutdownTimeout, "mysql.query_timeout": c.MySQL.QueryTimeout,
		"redis.dial_timeout": c.Redis.DialTimeout, "redis.op_timeout": c.Redis.OpTimeout,
		"cache.breaker_cooldown": c.Cache.BreakerCooldown, "cache.replay_interval": c.Cache.ReplayInterval,
		"subsidy.notice_period": c.Subsidy.NoticePeriod,
		"auth.access_ttl":       c.Auth.AccessTTL, "auth.refresh_ttl": c.Auth.RefreshTTL, "auth.failure_window": c.Auth.FailureWindow,
	} {
		if d <= 0 {
			return bad(key, "want a positive duration")
		}
	}
	for key, d := range map[string]time.Duration{
		"mysql.conn_max_lifetime": c.MySQL.ConnMaxLifetime, "mysql.conn_max_idle_time": c.MySQL.ConnMaxIdleTime,
		"http.drain_period": c.HTTP.DrainPeriod,
	} {
		if d < 0 {
			return bad(key, "want a duration of zero or more")
		}
	}
	if c.HTTP.MaxBodyBytes < 1024 {
		return bad("http.max_body_bytes", "want at least 1024")
	}
	if c.HTTP.MaxBatchBodyBytes < c.HTTP.MaxBodyBytes {
		return bad("http.max_batch_body_bytes", "want at least http.max_body_bytes")
	}
	if c.HTTP.MaxBatchUploads < 1 {
		return bad("http.max_batch_uploads", "want at least 1")
	}
	for _, cidr := range c.HTTP.TrustedProxies {
		if _, _, err := net.ParseCIDR(cidr); err != nil && net.ParseIP(cidr) == nil {
			return bad("http.trusted_proxies", "want comma-separated IP addresses or CIDRs")
		}
	}
	if c.MySQL.MaxOpenConns < 1 {
		return bad("mysql.max_open_conns", "want at least 1")
	}
	if c.MySQL.MaxIdleConns < 0 || c.MySQL.MaxIdleConns > c.MySQL.MaxOpenConns {
		return bad("mysql.max_idle_conns", "want between 0 and mysql.max_open_conns")
	}
	for _, a := range c.Redis.Addrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return bad("redis.addrs", "want comma-separated host:port addresses")
		}
	}
	if c.Redis.DB < 0 || c.Redis.DB > 15 {
		return bad("redis.db", "want 0 to 15")
	}
	if len(c.Redis.Addrs) > 1 && c.Redis.DB != 0 {
		return bad("redis.db", "Redis Cluster has only database 0")
	}
	if c.Redis.PoolSize < 1 {
		return bad("redis.pool_size", "want at least 1")
	}
	if c.Cache.BreakerFailures < 1 {
		return bad("cache.breaker_failures", "want at least 1")
	}
	if c.Cache.ReadBatchers < 0 || c.Cache.ReadBatchers > 64 {
		return bad("cache.read_batchers", "want 0 to 64")
	}
	if c.Access.Committers < 1 || c.Access.Committers > 64 {
		return bad("access.committers", "want 1 to 64")
	}
	if strings.TrimSpace(c.Data.Dir) == "" {
		return bad("data.dir", "want a directory path")
	}
	if strings.TrimSpace(c.Credential.IssuerName) == "" {
		return bad("credential.issuer_name", "want the issuing bureau's name")
	}
	if strings.TrimSpace(c.Auth.Audience) == "" {
		return bad("auth.audience", "want a non-empty audience")
	}
	if c.Auth.AccessTTL > 24*time.Hour {
		return bad("auth.access_ttl", "want at most 24h")
	}
	if c.Auth.MaxFailuresPerAccount < 1 {
		return bad("auth.max_failures_per_account", "want at least 1")
	}
	if c.Auth.MaxFailuresPerIP < 1 {
		return bad("auth.max_failures_per_ip", "want at least 1")
	}
	if c.Subsidy.RepeatWindowYears < 0 || c.Subsidy.RepeatWindowYears > 100 {
		return bad("subsidy.repeat_window_years", "want 0 (ever) to 100")
	}
	if err := c.validateEvents(bad); err != nil {
		return err
	}
	if err := c.validateQuota(bad); err != nil {
		return err
	}
	if strings.TrimSpace(c.TimeZone) == "" {
		return bad("time_zone", "want an IANA time zone name such as Asia/Shanghai")
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return bad("time_zone", "want an IANA time zone name such as Asia/Shanghai")
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "want debug, info, warn or error")
	}
	return nil
}
