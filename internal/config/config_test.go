package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/configs"
	"skillrecord/internal/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad_DefaultsMatchTheDesign(t *testing.T) {
	t.Chdir(t.TempDir()) // no configs/ here: the built-in defaults stand
	cfg, err := config.Load(env(nil))
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", cfg.HTTP.Addr)
	assert.Equal(t, "", cfg.MySQL.DSN)
	assert.Empty(t, cfg.Redis.Addrs)
	assert.Equal(t, "./data", cfg.Data.Dir)
	assert.True(t, cfg.Embedded())
	assert.Equal(t, "http://127.0.0.1:8080", cfg.BaseURL())
	assert.Empty(t, cfg.HTTP.DebugAddr, "no debug listener unless asked for")
	assert.Equal(t, int64(1<<20), cfg.HTTP.MaxBodyBytes)
	assert.Equal(t, int64(10<<20), cfg.HTTP.MaxBatchBodyBytes)
	assert.Equal(t, 5*time.Second, cfg.HTTP.DrainPeriod)
	assert.Equal(t, 1, cfg.Access.Committers, "verifications' access events: one group-commit writer")
}

func TestLoad_AccessCommittersComeFromTheEnvironment(t *testing.T) {
	t.Chdir(t.TempDir())
	cfg, err := config.Load(env(map[string]string{"SKILLRECORD_ACCESS_COMMITTERS": "4"}))
	require.NoError(t, err)
	assert.Equal(t, 4, cfg.Access.Committers)
}

func TestLoad_EnvironmentOverridesFileOverridesDefaults(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "my.yaml")
	require.NoError(t, os.WriteFile(file, []byte("http:\n  addr: 0.0.0.0:9000\n  write_timeout: 7s\nredis:\n  addrs: [a:1, b:2]\n"), 0o600))
	cfg, err := config.Load(env(map[string]string{
		"SKILLRECORD_CONFIG":               file,
		"SKILLRECORD_HTTP_ADDR":            "127.0.0.1:9100",
		"SKILLRECORD_MYSQL_DSN":            "u:p@tcp(db:3306)/sr",
		"SKILLRECORD_PUBLIC_URL":           "https://record.example.gov.cn/",
		"SKILLRECORD_DATA_DIR":             "/var/lib/sr",
		"SKILLRECORD_DATA_KEY":             "k1",
		"SKILLRECORD_INDEX_KEY":            "k2",
		"SKILLRECORD_SIGNING_KEY":          "k3",
		"SKILLRECORD_MYSQL_MAX_OPEN_CONNS": "10",
		"SKILLRECORD_MYSQL_MAX_IDLE_CONNS": "5",
	}))
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9100", cfg.HTTP.Addr, "env beats file")
	assert.Equal(t, 7*time.Second, cfg.HTTP.WriteTimeout, "file beats default")
	assert.Equal(t, []string{"a:1", "b:2"}, cfg.Redis.Addrs)
	assert.Equal(t, "u:p@tcp(db:3306)/sr", cfg.MySQL.DSN)
	assert.False(t, cfg.Embedded())
	assert.Equal(t, "https://record.example.gov.cn", cfg.BaseURL())
	assert.Equal(t, "/var/lib/sr", cfg.Data.Dir)
	assert.Equal(t, []string{"k1", "k2", "k3"}, []string{cfg.Keys.Data, cfg.Keys.Index, cfg.Keys.Signing})
	assert.Equal(t, 10, cfg.MySQL.MaxOpenConns)
}

func TestLoad_InvalidSettingStopsWithOneLineNamingIt(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		name string
	}{
		"bad duration":    {map[string]string{"SKILLRECORD_HTTP_READ_TIMEOUT": "soon"}, "SKILLRECORD_HTTP_READ_TIMEOUT"},
		"bad number":      {map[string]string{"SKILLRECORD_MYSQL_MAX_OPEN_CONNS": "many"}, "SKILLRECORD_MYSQL_MAX_OPEN_CONNS"},
		"bad addr":        {map[string]string{"SKILLRECORD_HTTP_ADDR": "8080"}, "SKILLRECORD_HTTP_ADDR"},
		"bad debug addr":  {map[string]string{"SKILLRECORD_DEBUG_ADDR": "6060"}, "SKILLRECORD_DEBUG_ADDR"},
		"bad redis addrs": {map[string]string{"SKILLRECORD_REDIS_ADDRS": "a:1,nonsense"}, "SKILLRECORD_REDIS_ADDRS"},
		"bad public url":  {map[string]string{"SKILLRECORD_PUBLIC_URL": "ftp://x"}, "SKILLRECORD_PUBLIC_URL"},
		"bad level":       {map[string]string{"SKILLRECORD_LOG_LEVEL": "loud"}, "SKILLRECORD_LOG_LEVEL"},
		"zero timeout":    {map[string]string{"SKILLRECORD_MYSQL_QUERY_TIMEOUT": "0s"}, "SKILLRECORD_MYSQL_QUERY_TIMEOUT"},
		"idle over open":  {map[string]string{"SKILLRECORD_MYSQL_MAX_OPEN_CONNS": "2", "SKILLRECORD_MYSQL_MAX_IDLE_CONNS": "3"}, "SKILLRECORD_MYSQL_MAX_IDLE_CONNS"},
		"small body":      {map[string]string{"SKILLRECORD_HTTP_MAX_BODY_BYTES": "10"}, "SKILLRECORD_HTTP_MAX_BODY_BYTES"},
		"missing file":    {map[string]string{"SKILLRECORD_CONFIG": "/nonexistent/skillrecord.yaml"}, "SKILLRECORD_CONFIG"},
		"no committers":   {map[string]string{"SKILLRECORD_ACCESS_COMMITTERS": "0"}, "SKILLRECORD_ACCESS_COMMITTERS"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := config.Load(env(tc.env))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.name)
			assert.NotContains(t, err.Error(), "\n", "one line")
		})
	}
}

func TestLoad_FileErrorsNameTheKeyAndLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	require.NoError(t, os.WriteFile(file, []byte("mysql:\n  max_open_conns: lots\n"), 0o600))
	_, err := config.Load(env(map[string]string{"SKILLRECORD_CONFIG": file}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SKILLRECORD_MYSQL_MAX_OPEN_CONNS (mysql.max_open_conns)")
	assert.Contains(t, err.Error(), "line 2")
}

func TestLoad_UnknownKeyInFileIsAnError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	require.NoError(t, os.WriteFile(file, []byte("http:\n  adress: 0.0.0.0:1\n"), 0o600)) //nolint:misspell // the typo is the test
	_, err := config.Load(env(map[string]string{"SKILLRECORD_CONFIG": file}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unknown setting http.adress")
}

func TestLoad_EventSettingsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		env   map[string]string
		field string
	}{
		{map[string]string{"SKILLRECORD_EVENTS_NATS_URL": "http://nats:4222"}, "events.nats_url"},
		{map[string]string{"SKILLRECORD_EVENTS_NATS_URL": "nats://:4222"}, "events.nats_url"},
		{map[string]string{"SKILLRECORD_EVENTS_NATS_STREAM": "skill.record"}, "events.nats_stream"},
		{map[string]string{"SKILLRECORD_EVENTS_NATS_STREAM": "skill*"}, "events.nats_stream"},
	} {
		_, err := config.Load(func(k string) string { return tc.env[k] })
		require.Error(t, err, "%v", tc.env)
		assert.Contains(t, err.Error(), tc.field)
		assert.NotContains(t, err.Error(), "4222", "the URL may hold a password: never quoted")
	}
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"SKILLRECORD_EVENTS_NATS_URL": "nats://a:4222,nats://b:4222"}[k]
	})
	require.NoError(t, err)
	assert.Equal(t, "SKILLRECORD", cfg.Events.NATSStream)
}

// TestDefaultFile_ListsEverySettingWithItsVariable keeps configs/skillrecord.yaml complete:
// each setting of the Config struct appears in it, with its variable named beside it.
func TestDefaultFile_ListsEverySettingWithItsVariable(t *testing.T) {
	text := string(configs.DefaultYAML)
	names := config.EnvNames()
	keys := config.SettingKeys()
	require.Len(t, names, len(keys)+1)
	for i, key := range keys {
		parts := strings.Split(key, ".")
		leaf := parts[len(parts)-1]
		assert.Regexpf(t, regexp.MustCompile(`(?m)^\s+`+regexp.QuoteMeta(leaf)+`:.*#\s*`+names[i+1]+`\b`), text,
			"configs/skillrecord.yaml has %s with # %s", key, names[i+1])
	}
	for _, want := range []string{"SKILLRECORD_HTTP_ADDR", "SKILLRECORD_MYSQL_DSN", "SKILLRECORD_REDIS_ADDRS",
		"SKILLRECORD_DATA_DIR", "SKILLRECORD_DATA_KEY", "SKILLRECORD_INDEX_KEY", "SKILLRECORD_SIGNING_KEY",
		"SKILLRECORD_PUBLIC_URL", "SKILLRECORD_CONFIG"} {
		assert.Contains(t, names, want, "docs/operators.md names it")
	}
}

// TestDeploy_UsesOnlyKnownSettings checks that every SKILLRECORD_* name in deploy/ exists.
func TestDeploy_UsesOnlyKnownSettings(t *testing.T) {
	known := map[string]bool{}
	for _, n := range config.EnvNames() {
		known[n] = true
	}
	pattern := regexp.MustCompile(`SKILLRECORD_[A-Z0-9_]+`)
	seen := 0
	err := filepath.WalkDir("../../deploy", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, name := range pattern.FindAllString(string(b), -1) {
			seen++
			if strings.HasPrefix(name, "SKILLRECORD_TEST_") {
				continue
			}
			assert.Truef(t, known[name], "%s uses %s, which is not a setting", path, name)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, seen, 10, "deploy/ wires the service through SKILLRECORD_* settings")
}

func TestLoad_TimeZoneDefaultsToShanghaiAndLoads(t *testing.T) {
	cfg, err := config.Load(env(map[string]string{}))
	require.NoError(t, err)
	assert.Equal(t, "Asia/Shanghai", cfg.TimeZone)
	assert.Equal(t, "Asia/Shanghai", cfg.Location().String())

	cfg, err = config.Load(env(map[string]string{"SKILLRECORD_TIME_ZONE": "Asia/Urumqi"}))
	require.NoError(t, err)
	assert.Equal(t, "Asia/Urumqi", cfg.Location().String())
}

func TestLoad_UnknownTimeZoneNamesTheSetting(t *testing.T) {
	_, err := config.Load(env(map[string]string{"SKILLRECORD_TIME_ZONE": "Mars/Olympus"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SKILLRECORD_TIME_ZONE")
	assert.NotContains(t, err.Error(), "Olympus")
}
