package keys

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// The environment variables of the key settings. Errors and warnings name settings by these.
const (
	EnvDataKey             = "SKILLRECORD_DATA_KEY"
	EnvIndexKey            = "SKILLRECORD_INDEX_KEY"
	EnvSigningKey          = "SKILLRECORD_SIGNING_KEY"
	EnvDataKeysPrevious    = "SKILLRECORD_DATA_KEYS_PREVIOUS"
	EnvSigningKeysPrevious = "SKILLRECORD_SIGNING_KEYS_PREVIOUS"
)

// SecretSize is the decoded length of every secret: the data and index keys and the Ed25519
// seed are all 32 bytes.
const SecretSize = 32

// ErrInvalidSetting is wrapped by every error about a key setting or key file that cannot be
// used. The message names the setting and, for files, the path, never the value.
var ErrInvalidSetting = errors.New("invalid setting")

// Settings are the key settings as configured: base64 text (standard encoding with padding;
// unpadded and URL-safe encodings are accepted too) of 32 bytes each. DataKey and IndexKey are
// AES-256 and HMAC-SHA256 keys; SigningKey is an Ed25519 seed. An empty DataKey, IndexKey or
// SigningKey is taken from the data directory. The previous keys are those that stored values
// or issued tokens may still use; empty entries are ignored.
type Settings struct {
	DataKey             string
	IndexKey            string
	SigningKey          string
	PreviousDataKeys    []string
	PreviousSigningKeys []string
}

// encodings are tried in order; the first that decodes the text to SecretSize bytes wins.
var encodings = []*base64.Encoding{
	base64.StdEncoding,
	base64.RawStdEncoding,
	base64.URLEncoding,
	base64.RawURLEncoding,
}

// decodeSecret decodes base64 text of a 32-byte secret. Its error deliberately says nothing
// about the text.
func decodeSecret(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	for _, enc := range encodings {
		b, err := enc.DecodeString(text)
		if err == nil && len(b) == SecretSize {
			return b, nil
		}
	}
	return nil, errors.New("want base64 of 32 bytes")
}

// encodeSecret is the form written to key files: standard base64 with padding.
func encodeSecret(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// settingError reports an unusable setting by its environment name.
func settingError(env string, cause error) error {
	return fmt.Errorf("%w %s: %w", ErrInvalidSetting, env, cause)
}

// decodeSetting decodes one key setting.
func decodeSetting(env, text string) ([]byte, error) {
	b, err := decodeSecret(text)
	if err != nil {
		return nil, settingError(env, err)
	}
	return b, nil
}

// decodeList decodes a list setting, skipping empty entries. Errors name the bad entry by its
// 1-based position in the list.
func decodeList(env string, texts []string) ([][]byte, error) {
	var out [][]byte
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			continue
		}
		b, err := decodeSecret(t)
		if err != nil {
			return nil, settingError(env, fmt.Errorf("entry %d: %w", i+1, err))
		}
		out = append(out, b)
	}
	return out, nil
}
