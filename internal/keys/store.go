package keys

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// keysDir is the directory under the data directory that holds development keys.
const keysDir = "keys"

// maxKeyFile bounds what is read from a key file; a key file is one line of base64.
const maxKeyFile = 4 << 10

// fileSecret returns the secret kept in path, creating it with a fresh random secret if the
// file does not exist. created reports whether this call wrote the file.
func fileSecret(env, path string) (secret []byte, created bool, err error) {
	secret, err = readSecret(env, path)
	if err == nil {
		return secret, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	secret = make([]byte, SecretSize)
	if _, err := rand.Read(secret); err != nil {
		return nil, false, fmt.Errorf("generate %s: %w", env, err)
	}
	won, err := writeSecretOnce(path, secret)
	if err != nil {
		return nil, false, fmt.Errorf("write development key for %s to %s: %w", env, path, err)
	}
	if !won {
		// Another process created the file first: use its key, not ours.
		secret, err = readSecret(env, path)
		return secret, false, err
	}
	return secret, true, nil
}

// readSecret reads a key file. A missing file is reported as fs.ErrNotExist; a file that does
// not hold base64 of 32 bytes is an ErrInvalidSetting naming the setting and the path.
func readSecret(env, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w %s: %s is not a regular file", ErrInvalidSetting, env, path)
	}
	text, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("read key file for %s: %w", env, err)
	}
	if len(text) > maxKeyFile {
		return nil, fmt.Errorf("%w %s: key file %s: want base64 of 32 bytes", ErrInvalidSetting, env, path)
	}
	b, err := decodeSecret(string(text))
	if err != nil {
		return nil, fmt.Errorf("%w %s: key file %s: %w", ErrInvalidSetting, env, path, err)
	}
	return b, nil
}

// writeSecretOnce writes secret to path atomically (a temporary file in the same directory,
// synced, then put in place) and never replaces an existing file, so that two processes
// starting together agree on one key. It reports false if the file already existed.
func writeSecretOnce(path string, secret []byte) (bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, err
	}
	if err := os.Chmod(dir, 0o700); err != nil { //nolint:gosec // a directory needs its x bit; 0700 is owner-only
		return false, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return false, err
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // after a successful link or rename there is nothing left to remove

	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return false, err
	}
	if _, err := tmp.WriteString(encodeSecret(secret) + "\n"); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}

	// A hard link puts the complete file in place only if the name is free.
	err = os.Link(tmpName, path)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return false, nil
	default:
		// The file system cannot link: fall back to rename, which is atomic but would replace
		// a file created in the meantime, so check first.
		if _, statErr := os.Lstat(path); statErr == nil {
			return false, nil
		}
		if err := os.Rename(tmpName, path); err != nil {
			return false, err
		}
	}
	syncDir(dir)
	return true, nil
}

// syncDir makes a new directory entry durable. Errors are ignored: some file systems cannot
// sync a directory, and the file itself has already been written and synced.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
