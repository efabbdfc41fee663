package keys

import (
	"crypto/ed25519"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"skillrecord/internal/pii"
)

// Material is the loaded key material of the service.
type Material struct {
	Data            *pii.Keyring // field encryption: current data key and previous ones
	Index           *pii.Indexer // blind index
	Signing         SigningKey   // signs new tokens and credentials
	PreviousSigning []SigningKey // still accepted for verification, newest first as configured
	Generated       []string     // settings taken from the data directory, e.g. SKILLRECORD_DATA_KEY
}

// secretSpec ties a setting to its development key file.
type secretSpec struct {
	env   string
	file  string
	value string
}

// Load builds the key material from s. A non-empty DataKey, IndexKey or SigningKey setting is
// decoded (an error names the setting, never the value). An empty one is read from
// <dataDir>/keys/data.key, index.key or signing.key, which is generated with a random key
// (directory mode 0700, file mode 0600, written atomically) when it does not exist; each key
// taken from the data directory is announced with one WARN on logger (nil means
// slog.Default()) and its setting is listed in Material.Generated. The three keys must differ
// from each other.
func Load(s Settings, dataDir string, logger *slog.Logger) (*Material, error) {
	if logger == nil {
		logger = slog.Default()
	}
	specs := []secretSpec{
		{env: EnvDataKey, file: "data.key", value: s.DataKey},
		{env: EnvIndexKey, file: "index.key", value: s.IndexKey},
		{env: EnvSigningKey, file: "signing.key", value: s.SigningKey},
	}
	m := &Material{}
	secrets := make([][]byte, len(specs))
	for i, spec := range specs {
		secret, fromDisk, err := loadSecret(spec, dataDir, logger)
		if err != nil {
			return nil, err
		}
		secrets[i] = secret
		if fromDisk {
			m.Generated = append(m.Generated, spec.env)
		}
	}
	dataKey, indexKey, seed := secrets[0], secrets[1], secrets[2]
	if err := distinct(specs, secrets); err != nil {
		return nil, err
	}

	previousData, err := decodeList(EnvDataKeysPrevious, s.PreviousDataKeys)
	if err != nil {
		return nil, err
	}
	for _, p := range previousData {
		if subtle.ConstantTimeCompare(p, indexKey) == 1 || subtle.ConstantTimeCompare(p, seed) == 1 {
			return nil, settingError(EnvDataKeysPrevious, errors.New("a previous data key equals the index or signing key"))
		}
	}
	if m.Data, err = pii.NewKeyring(dataKey, previousData...); err != nil {
		return nil, settingError(EnvDataKeysPrevious, err)
	}
	if m.Index, err = pii.NewIndexer(indexKey); err != nil {
		return nil, settingError(EnvIndexKey, err)
	}

	m.Signing = newSigningKey(seed)
	previousSeeds, err := decodeList(EnvSigningKeysPrevious, s.PreviousSigningKeys)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{m.Signing.ID: true}
	for _, p := range previousSeeds {
		k := newSigningKey(p)
		if seen[k.ID] {
			continue // the current key or a repeated entry
		}
		seen[k.ID] = true
		m.PreviousSigning = append(m.PreviousSigning, k)
	}
	return m, nil
}

// loadSecret returns the secret of one setting: from its value, or from the data directory.
func loadSecret(spec secretSpec, dataDir string, logger *slog.Logger) (secret []byte, fromDisk bool, err error) {
	if spec.value != "" {
		secret, err := decodeSetting(spec.env, spec.value)
		return secret, false, err
	}
	if dataDir == "" {
		return nil, false, fmt.Errorf("%s is not set and there is no data directory to keep a development key in", spec.env)
	}
	path := filepath.Join(dataDir, keysDir, spec.file)
	secret, created, err := fileSecret(spec.env, path)
	if err != nil {
		return nil, false, err
	}
	if created {
		logger.Warn("generated a development key in the data directory; set "+spec.env+" in production",
			slog.String("setting", spec.env), slog.String("path", path))
	} else {
		logger.Warn("using a development key from the data directory; set "+spec.env+" in production",
			slog.String("setting", spec.env), slog.String("path", path))
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		logger.Warn("development key file is accessible to other users; it should have mode 0600",
			slog.String("setting", spec.env), slog.String("path", path), slog.String("mode", st.Mode().Perm().String()))
	}
	return secret, true, nil
}

// distinct refuses to use one secret for two purposes.
func distinct(specs []secretSpec, secrets [][]byte) error {
	for i := range secrets {
		for j := i + 1; j < len(secrets); j++ {
			if subtle.ConstantTimeCompare(secrets[i], secrets[j]) == 1 {
				return settingError(specs[j].env, fmt.Errorf("must differ from %s", specs[i].env))
			}
		}
	}
	return nil
}

// SigningKeyByID returns the public key with the given kid, current or previous, for verifying
// a token or credential.
func (m *Material) SigningKeyByID(kid string) (ed25519.PublicKey, bool) {
	if kid == "" {
		return nil, false
	}
	if m.Signing.ID == kid {
		return m.Signing.Public, true
	}
	for _, k := range m.PreviousSigning {
		if k.ID == kid {
			return k.Public, true
		}
	}
	return nil, false
}

// Format prints the material as key ids only, whatever the verb.
func (m Material) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "keys.Material{Data: %v, Index: %v, Signing: %s, PreviousSigning: %d, Generated: %v}",
		m.Data, m.Index, m.Signing.ID, len(m.PreviousSigning), m.Generated)
}

// LogValue logs the material as key ids only.
func (m Material) LogValue() slog.Value {
	prev := make([]string, len(m.PreviousSigning))
	for i, k := range m.PreviousSigning {
		prev[i] = k.ID
	}
	attrs := []slog.Attr{
		slog.String("signing", m.Signing.ID),
		slog.Any("previous_signing", prev),
		slog.Any("generated", m.Generated),
	}
	if m.Data != nil {
		attrs = append(attrs, slog.String("data", m.Data.CurrentKeyID()))
	}
	if m.Index != nil {
		attrs = append(attrs, slog.String("index", m.Index.KeyID()))
	}
	return slog.GroupValue(attrs...)
}
