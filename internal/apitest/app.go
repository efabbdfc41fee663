package apitest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/app"
	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
	"skillrecord/internal/config"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/testenv"
)

// App is the whole service wired as `serve` wires it, on a fresh MariaDB database and the
// machine's Redis, with a clock the test can move and the logs captured.
type App struct {
	*Client
	DB      *sqlstore.DB
	Cache   *cache.Cache
	Keys    *keys.Material
	Config  *config.Config
	Metrics *prometheus.Registry
	Logs    *SyncBuffer
	offset  atomic.Int64
	deps    httpapi.Deps

	keyPrefix string
}

// Options change how NewApp builds the service.
type Options struct {
	Env       map[string]string // extra SKILLRECORD_* settings
	RedisAddr string            // default: the machine's Redis
	DB        *sqlstore.DB      // a migrated store the test made (e.g. behind a proxy); default: a fresh one
	// Peer makes this app a second instance of Peer's deployment: the same keys and the same
	// Redis key prefix (so each sees the other's cache invalidations); default: its own.
	Peer *App
}

// NewApp builds the service for one test.
func NewApp(t testing.TB, opts ...Options) *App {
	t.Helper()
	env := map[string]string{}
	var (
		redisAddrs []string
		db         *sqlstore.DB
		material   *keys.Material
		prefix     = testenv.KeyPrefix(t)
	)
	for _, o := range opts {
		if o.DB != nil {
			db = o.DB
		}
		if o.Peer != nil {
			material, prefix = o.Peer.Keys, o.Peer.keyPrefix
		}
		for k, v := range o.Env {
			env[k] = v
		}
		if o.RedisAddr != "" {
			redisAddrs = []string{o.RedisAddr}
		}
	}
	if redisAddrs == nil {
		redisAddrs = testenv.RedisAddrs(t)
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	if db == nil {
		db = testenv.MySQL(t)
	}
	a := &App{DB: db, Config: cfg, Logs: &SyncBuffer{}, Metrics: prometheus.NewRegistry(), keyPrefix: prefix}
	log := slog.New(slog.NewJSONHandler(a.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a.Cache, err = cache.Open(context.Background(), cache.Config{
		Addrs: redisAddrs, KeyPrefix: prefix, DialTimeout: 300 * time.Millisecond,
		OpTimeout: 300 * time.Millisecond, BreakerFailures: 3, BreakerCooldown: time.Second,
		ReadBatchers: cfg.Cache.ReadBatchers, // as served
	}, log, a.Metrics)
	if err != nil {
		t.Fatalf("cache: %v", err)
	}
	t.Cleanup(func() { _ = a.Cache.Close() })
	if a.Keys = material; a.Keys == nil {
		a.Keys, err = keys.Load(keys.Settings{}, t.TempDir(), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatalf("keys: %v", err)
		}
	}
	deps := httpapi.Deps{
		Log: log, DB: a.DB, Cache: a.Cache, Metrics: a.Metrics, Version: "test", Now: a.Now,
		RequestLines:   a.Logs,                  // as serve writes them: built by hand, not by slog
		TrustedProxies: cfg.HTTP.TrustedProxies, // the client address comes from X-Forwarded-For when set
		Limits:         httpapi.Limits{MaxBody: cfg.HTTP.MaxBodyBytes, MaxBatchBody: cfg.HTTP.MaxBatchBodyBytes, MaxBatchUploads: cfg.HTTP.MaxBatchUploads},
	}
	stop := app.Wire(&deps, cfg, a.DB, a.Cache, a.Keys, a.Metrics, log, a.Now)
	t.Cleanup(stop)
	a.deps = deps
	h, err := httpapi.New(deps)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	a.Client = New(t, h)
	return a
}

// Now is the app's clock: the real time moved by Advance.
func (a *App) Now() time.Time { return time.Now().Add(time.Duration(a.offset.Load())) }

// Advance moves the app's clock forward.
func (a *App) Advance(d time.Duration) { a.offset.Add(int64(d)) }

// Handler is the HTTP handler under test.
func (a *App) Handler() http.Handler { return a.handler }

// As returns a client that sends the bearer token.
func (a *App) As(token string) *Client {
	c := &Client{t: a.t, handler: a.handler, Header: http.Header{}}
	if token != "" {
		c.Header.Set("Authorization", "Bearer "+token)
	}
	return c
}

// CreateAdmin creates an admin account directly in the store.
func (a *App) CreateAdmin(t testing.TB, username, password string) auth.Admin {
	t.Helper()
	adm, err := auth.CreateAdmin(context.Background(), a.DB, username, password, a.Now())
	if err != nil {
		t.Fatalf("create admin: %v", err)
	}
	return adm
}

// Token signs in through POST /auth/token with the given grant fields and returns the access
// token, failing the test unless the answer is 200.
func (a *App) Token(t testing.TB, grant map[string]string) (access, refresh string) {
	t.Helper()
	res := a.As("").Do("POST", "/api/v1/auth/token", grant)
	if res.Status != http.StatusOK {
		t.Fatalf("sign-in answered %d: %s", res.Status, res.Body)
	}
	var body struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	res.JSON(t, &body)
	return body.AccessToken, body.RefreshToken
}

var adminSeq atomic.Int64

// AdminToken creates a new admin and signs it in.
func (a *App) AdminToken(t testing.TB) string {
	t.Helper()
	name := "admin" + time.Now().Format("150405") + "-" + strconv.FormatInt(adminSeq.Add(1), 10)
	a.CreateAdmin(t, name, "admin-pass-2026")
	tok, _ := a.Token(t, map[string]string{"grant_type": "password", "username": name, "password": "admin-pass-2026"})
	return tok
}

// SyncBuffer is a goroutine-safe log sink.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// CreditCode returns a fresh valid unified social credit code.
func CreditCode() string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := make([]byte, 17)
	b[0], b[1] = '9', '1'
	copy(b[2:8], "370400")
	n := time.Now().UnixNano() + creditSeq.Add(1)*7919
	for i := 8; i < 17; i++ {
		b[i] = alphabet[n%int64(len(alphabet))]
		n /= int64(len(alphabet))
	}
	return string(identity.MakeCreditCode(string(b)))
}

var creditSeq atomic.Int64

// CreateOrg creates an organisation of typ through the API and returns its id.
func (a *App) CreateOrg(t testing.TB, adminToken, typ string) string {
	t.Helper()
	res := a.As(adminToken).Do("POST", "/api/v1/admin/organizations", map[string]any{
		"name": "测试机构 " + typ, "type": typ, "credit_code": CreditCode(), "region_code": "370400",
	})
	if res.Status != http.StatusCreated {
		t.Fatalf("create organisation answered %d: %s", res.Status, res.Body)
	}
	var o struct {
		ID string `json:"id"`
	}
	res.JSON(t, &o)
	return o.ID
}

// CreateClient issues an API client for an organisation.
func (a *App) CreateClient(t testing.TB, adminToken, orgID string) (clientID, secret string) {
	t.Helper()
	res := a.As(adminToken).Do("POST", "/api/v1/admin/organizations/"+orgID+"/clients", nil)
	if res.Status != http.StatusCreated {
		t.Fatalf("create client answered %d: %s", res.Status, res.Body)
	}
	var c struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	res.JSON(t, &c)
	return c.ClientID, c.ClientSecret
}

// OrgToken creates an organisation of typ with a client and signs it in.
func (a *App) OrgToken(t testing.TB, adminToken, typ string) (orgID, token string) {
	t.Helper()
	orgID = a.CreateOrg(t, adminToken, typ)
	id, secret := a.CreateClient(t, adminToken, orgID)
	token, _ = a.Token(t, map[string]string{"grant_type": "client_credentials", "client_id": id, "client_secret": secret})
	return orgID, token
}

// Mint signs an access token for a principal directly, as the token endpoint would, for tests
// that need a role whose sign-in is not the subject (no account is created).
func (a *App) Mint(t testing.TB, p auth.Principal) string {
	t.Helper()
	tok, _ := a.sign(t, p)
	return tok
}

// sign signs an access token for p with the app's keys and settings, as another instance of
// the deployment would (this app's memo of verified tokens does not learn of it).
func (a *App) sign(t testing.TB, p auth.Principal) (string, auth.Principal) {
	t.Helper()
	tokens := &auth.Tokens{Keys: a.Keys, Issuer: a.Config.TokenIssuer(), Audience: a.Config.Auth.Audience, TTL: a.Config.Auth.AccessTTL, Now: a.Now}
	tok, signed, err := tokens.Sign(p, "")
	if err != nil {
		t.Fatalf("mint: %v", err)
	}
	return tok, signed
}

// MintSignedIn returns an access token for p as a sign-in on another instance of the
// deployment leaves it: signed with the deployment's key, its "not revoked" primed in the
// shared deny-list cache, its signature not yet checked by this app.
func (a *App) MintSignedIn(t testing.TB, p auth.Principal) string {
	t.Helper()
	tok, signed := a.sign(t, p)
	svc, ok := a.deps.Auth.(*auth.Service)
	if !ok {
		t.Fatalf("the app's authenticator is a %T", a.deps.Auth)
	}
	rev, ok := svc.Revocations.(interface {
		Issued(ctx context.Context, jti, sid string)
	})
	if !ok {
		t.Fatalf("the app's deny-list %T cannot be primed", svc.Revocations)
	}
	rev.Issued(context.Background(), signed.TokenID, "")
	return tok
}

// Records is the app's worker-record cache, for tests that need to invalidate it.
func (a *App) Records() interface {
	WorkerChanged(ctx context.Context, workerIDs ...string)
} {
	return a.deps.Records.(interface {
		WorkerChanged(ctx context.Context, workerIDs ...string)
	})
}

// CheckinGroups returns how many groups the phone check-ins' group commit wrote and how many
// check-ins they carried (for benchmarks).
func (a *App) CheckinGroups() (groups, checkins uint64) {
	c, ok := a.deps.Checkins.(interface{ GroupStats() (uint64, uint64) })
	if !ok {
		return 0, 0
	}
	return c.GroupStats()
}
