// Package keys loads the service's three secrets and builds the public signing-key set.
//
// The secrets are the data key (AES-256-GCM field encryption, with older keys kept for
// decryption during rotation), the index key (HMAC-SHA256 blind index) and the Ed25519
// signing key (tokens and credentials, with older keys kept for verification). Each comes from
// its setting (base64 text, see Settings) or, when the setting is empty, from a development key
// file under the data directory, generated on first use. Keys from the data directory are
// convenient for a zero-setup start but are not production keys, so each one is announced with
// a warning.
//
// Keys are never logged and never appear in error messages: errors name the setting (by its
// environment variable) or the file, not the value, and Material and SigningKey print and log
// as their key ids only.
//
// This package knows nothing about HTTP, SQL or caches (no gin, gorm, go-redis) and does not
// read the environment itself: configuration is package config's job, and the keys are used
// through package pii and the token code.
package keys
