package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func randomSecret(t *testing.T) []byte {
	t.Helper()
	b := make([]byte, SecretSize)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// captureLogger returns a logger writing JSON lines into the returned buffer.
func captureLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// assertNoKeyMaterial checks that none of the secrets appears in out in any usual encoding.
func assertNoKeyMaterial(t *testing.T, out string, secrets ...[]byte) {
	t.Helper()
	for _, s := range secrets {
		for _, enc := range encodings {
			assert.NotContains(t, out, enc.EncodeToString(s))
		}
		assert.NotContains(t, out, hex.EncodeToString(s))
		assert.NotContains(t, out, string(s))
	}
}

func explicitSettings(t *testing.T) (Settings, [3][]byte) {
	d, i, s := randomSecret(t), randomSecret(t), randomSecret(t)
	return Settings{DataKey: b64(d), IndexKey: b64(i), SigningKey: b64(s)}, [3][]byte{d, i, s}
}

func TestLoadExplicitSettings(t *testing.T) {
	s, raw := explicitSettings(t)
	dir := t.TempDir()
	logger, logs := captureLogger()
	m, err := Load(s, dir, logger)
	require.NoError(t, err)

	assert.Empty(t, m.Generated)
	assert.Empty(t, logs.String(), "no warning when every key is set")
	_, err = os.Stat(filepath.Join(dir, keysDir))
	assert.ErrorIs(t, err, fs.ErrNotExist, "nothing written to the data dir")

	// The data key is the one given: a keyring built from it opens what m.Data seals.
	blob, err := m.Data.SealString("张三", "workers.name")
	require.NoError(t, err)
	ref, err := Load(Settings{DataKey: b64(raw[0]), IndexKey: b64(raw[1]), SigningKey: b64(raw[2])}, "", nil)
	require.NoError(t, err)
	got, err := ref.Data.OpenString(blob, "workers.name")
	require.NoError(t, err)
	assert.Equal(t, "张三", got)
	assert.Equal(t, ref.Index.Index("ssn", "x"), m.Index.Index("ssn", "x"))

	want := ed25519.NewKeyFromSeed(raw[2])
	assert.Equal(t, want, m.Signing.Private)
	assert.Equal(t, want.Public(), m.Signing.Public)
	assert.Equal(t, Thumbprint(m.Signing.Public), m.Signing.ID)
}

func TestLoadAcceptsBase64Variants(t *testing.T) {
	// 0xfb 0xff ... gives '+' '/' in standard and '-' '_' in URL encoding.
	secret := bytes.Repeat([]byte{0xfb, 0xff, 0xbf}, 11)[:SecretSize]
	for _, enc := range encodings {
		text := enc.EncodeToString(secret)
		s, _ := explicitSettings(t)
		s.DataKey = "  " + text + "\n"
		m, err := Load(s, "", nil)
		require.NoError(t, err, "encoding of %q", text)
		ref, err := Load(Settings{DataKey: b64(secret), IndexKey: s.IndexKey, SigningKey: s.SigningKey}, "", nil)
		require.NoError(t, err)
		assert.Equal(t, ref.Data.CurrentKeyID(), m.Data.CurrentKeyID())
	}
}

func TestLoadBadSettings(t *testing.T) {
	short := b64(randomSecret(t)[:31])
	long := b64(append(randomSecret(t), 1))
	notBase64 := "this is not base64 at all!!"
	hexKey := hex.EncodeToString(randomSecret(t))
	cases := []struct {
		env string
		set func(*Settings, string)
	}{
		{EnvDataKey, func(s *Settings, v string) { s.DataKey = v }},
		{EnvIndexKey, func(s *Settings, v string) { s.IndexKey = v }},
		{EnvSigningKey, func(s *Settings, v string) { s.SigningKey = v }},
		{EnvDataKeysPrevious, func(s *Settings, v string) { s.PreviousDataKeys = []string{b64(randomSecret(t)), v} }},
		{EnvSigningKeysPrevious, func(s *Settings, v string) { s.PreviousSigningKeys = []string{v} }},
	}
	for _, c := range cases {
		for _, bad := range []string{short, long, notBase64, hexKey} {
			s, raw := explicitSettings(t)
			c.set(&s, bad)
			logger, logs := captureLogger()
			m, err := Load(s, t.TempDir(), logger)
			require.Error(t, err, "%s=%q", c.env, bad)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, ErrInvalidSetting)
			assert.Contains(t, err.Error(), "invalid setting "+c.env+":")
			assert.Contains(t, err.Error(), "want base64 of 32 bytes")
			assert.NotContains(t, err.Error(), bad)
			assertNoKeyMaterial(t, err.Error(), raw[:]...)
			assert.NotContains(t, logs.String(), bad)
		}
	}
}

func TestLoadErrorMessageExample(t *testing.T) {
	s, _ := explicitSettings(t)
	s.DataKey = "c2hvcnQ="
	_, err := Load(s, "", nil)
	require.EqualError(t, err, "invalid setting SKILLRECORD_DATA_KEY: want base64 of 32 bytes")
}

func TestLoadRefusesSharedKeys(t *testing.T) {
	s, raw := explicitSettings(t)
	s.IndexKey = s.DataKey
	_, err := Load(s, "", nil)
	require.ErrorIs(t, err, ErrInvalidSetting)
	assert.Contains(t, err.Error(), EnvIndexKey)
	assertNoKeyMaterial(t, err.Error(), raw[:]...)

	s, _ = explicitSettings(t)
	s.SigningKey = s.DataKey
	_, err = Load(s, "", nil)
	require.ErrorIs(t, err, ErrInvalidSetting)
	assert.Contains(t, err.Error(), EnvSigningKey)

	s, _ = explicitSettings(t)
	s.PreviousDataKeys = []string{s.IndexKey}
	_, err = Load(s, "", nil)
	require.ErrorIs(t, err, ErrInvalidSetting)
	assert.Contains(t, err.Error(), EnvDataKeysPrevious)
}

func TestLoadWithoutDataDir(t *testing.T) {
	s, _ := explicitSettings(t)
	s.IndexKey = ""
	_, err := Load(s, "", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), EnvIndexKey)
}

func TestLoadGeneratesDevelopmentKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet
	logger, logs := captureLogger()
	m, err := Load(Settings{}, dir, logger)
	require.NoError(t, err)
	assert.Equal(t, []string{EnvDataKey, EnvIndexKey, EnvSigningKey}, m.Generated)

	keyDir := filepath.Join(dir, "keys")
	st, err := os.Stat(keyDir)
	require.NoError(t, err)
	assert.True(t, st.IsDir())
	assert.Equal(t, fs.FileMode(0o700), st.Mode().Perm())

	var secrets [][]byte
	for _, name := range []string{"data.key", "index.key", "signing.key"} {
		path := filepath.Join(keyDir, name)
		st, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o600), st.Mode().Perm(), name)
		text, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, 1, strings.Count(string(text), "\n"), "one line")
		secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
		require.NoError(t, err)
		require.Len(t, secret, SecretSize)
		secrets = append(secrets, secret)
	}
	// No temporary files left behind.
	entries, err := os.ReadDir(keyDir)
	require.NoError(t, err)
	assert.Len(t, entries, 3)

	assert.Equal(t, Thumbprint(ed25519.NewKeyFromSeed(secrets[2]).Public().(ed25519.PublicKey)), m.Signing.ID)

	// One WARN per key, with setting and path, and no key material.
	lines := nonEmptyLines(logs.String())
	require.Len(t, lines, 3)
	for i, env := range m.Generated {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &rec))
		assert.Equal(t, "WARN", rec["level"])
		assert.Contains(t, rec["msg"], "set "+env+" in production")
		assert.Equal(t, env, rec["setting"])
		assert.Equal(t, filepath.Join(keyDir, []string{"data.key", "index.key", "signing.key"}[i]), rec["path"])
	}
	assertNoKeyMaterial(t, logs.String(), secrets...)
	assertNoKeyMaterial(t, logs.String(), m.Signing.Private)

	// A second Load reads the same keys back.
	logger2, logs2 := captureLogger()
	m2, err := Load(Settings{}, dir, logger2)
	require.NoError(t, err)
	assert.Equal(t, m.Generated, m2.Generated)
	assert.Equal(t, m.Data.CurrentKeyID(), m2.Data.CurrentKeyID())
	assert.Equal(t, m.Index.KeyID(), m2.Index.KeyID())
	assert.Equal(t, m.Signing.ID, m2.Signing.ID)
	assert.Equal(t, m.Index.Index("ssn", "11010519491231002X"), m2.Index.Index("ssn", "11010519491231002X"))
	blob, err := m.Data.SealString("13800138000", "workers.phone")
	require.NoError(t, err)
	phone, err := m2.Data.OpenString(blob, "workers.phone")
	require.NoError(t, err)
	assert.Equal(t, "13800138000", phone)

	lines = nonEmptyLines(logs2.String())
	require.Len(t, lines, 3)
	for _, l := range lines {
		assert.Contains(t, l, `"level":"WARN"`)
		assert.Contains(t, l, "using a development key from the data directory")
	}
	assertNoKeyMaterial(t, logs2.String(), secrets...)
}

func TestLoadMixesSettingsAndDataDir(t *testing.T) {
	s, _ := explicitSettings(t)
	s.IndexKey = ""
	dir := t.TempDir()
	logger, logs := captureLogger()
	m, err := Load(s, dir, logger)
	require.NoError(t, err)
	assert.Equal(t, []string{EnvIndexKey}, m.Generated)
	assert.Len(t, nonEmptyLines(logs.String()), 1)
	entries, err := os.ReadDir(filepath.Join(dir, "keys"))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "index.key", entries[0].Name())
}

func TestLoadBadKeyFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "keys"), 0o700))
	bad := b64(randomSecret(t)[:20])
	path := filepath.Join(dir, "keys", "data.key")
	require.NoError(t, os.WriteFile(path, []byte(bad+"\n"), 0o600))
	_, err := Load(Settings{}, dir, slog.New(slog.DiscardHandler))
	require.ErrorIs(t, err, ErrInvalidSetting)
	assert.Contains(t, err.Error(), EnvDataKey)
	assert.Contains(t, err.Error(), path)
	assert.NotContains(t, err.Error(), bad)
	// The bad file is left alone, not replaced by a new key.
	text, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, bad+"\n", string(text))
}

func TestLoadWarnsAboutLooseKeyFile(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(Settings{}, dir, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.NoError(t, os.Chmod(filepath.Join(dir, "keys", "data.key"), 0o644))
	logger, logs := captureLogger()
	_, err = Load(Settings{}, dir, logger)
	require.NoError(t, err)
	assert.Contains(t, logs.String(), "accessible to other users")
}

func TestConcurrentFirstLoadAgrees(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	results := make([]*Material, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			m, err := Load(Settings{}, dir, slog.New(slog.DiscardHandler))
			if assert.NoError(t, err) {
				results[i] = m
			}
		})
	}
	wg.Wait()
	for _, m := range results[1:] {
		require.NotNil(t, m)
		assert.Equal(t, results[0].Data.CurrentKeyID(), m.Data.CurrentKeyID())
		assert.Equal(t, results[0].Index.KeyID(), m.Index.KeyID())
		assert.Equal(t, results[0].Signing.ID, m.Signing.ID)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "keys"))
	require.NoError(t, err)
	assert.Len(t, entries, 3, "no temporary files left behind")
}

func TestPreviousDataKeysOpenOldValues(t *testing.T) {
	oldS, _ := explicitSettings(t)
	old, err := Load(oldS, "", nil)
	require.NoError(t, err)
	blob, err := old.Data.SealString("张三", "workers.name")
	require.NoError(t, err)

	s, _ := explicitSettings(t)
	s.PreviousDataKeys = []string{"", oldS.DataKey, " "}
	m, err := Load(s, "", nil)
	require.NoError(t, err)
	assert.True(t, m.Data.NeedsRotation(blob))
	name, err := m.Data.OpenString(blob, "workers.name")
	require.NoError(t, err)
	assert.Equal(t, "张三", name)
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestMaterialPrintsNoKeyMaterial(t *testing.T) {
	s, raw := explicitSettings(t)
	prev := randomSecret(t)
	s.PreviousSigningKeys = []string{b64(prev)}
	m, err := Load(s, "", nil)
	require.NoError(t, err)

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "m", m, "mv", *m, "signing", m.Signing, "prev", m.PreviousSigning)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "m", m, "mv", *m, "signing", m.Signing, "prev", m.PreviousSigning)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
		fmt.Fprintf(&buf, verb+"\n", m)
		fmt.Fprintf(&buf, verb+"\n", *m)
		fmt.Fprintf(&buf, verb+"\n", m.Signing)
		fmt.Fprintf(&buf, verb+"\n", m.PreviousSigning)
	}
	js, err := json.Marshal(m)
	require.NoError(t, err)
	buf.Write(js)

	out := buf.String()
	assert.Contains(t, out, m.Signing.ID)
	assertNoKeyMaterial(t, out, raw[0], raw[1], raw[2], prev, m.Signing.Private, m.PreviousSigning[0].Private)
}
