package pii

import (
	"fmt"
	"log/slog"
	"strings"
)

// Format prints the keyring as its key ids only, whatever the verb, so that %v, %+v or %#v of a
// Keyring (or a pointer to one, or a struct holding one) never shows key material.
func (k Keyring) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "pii.Keyring{current: %s, keys: [%s]}", k.CurrentKeyID(), strings.Join(k.KeyIDs(), " "))
}

// LogValue logs the keyring as its key ids only.
func (k Keyring) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("current", k.CurrentKeyID()),
		slog.Any("keys", k.KeyIDs()),
	)
}

// Format prints the indexer as its key id only, whatever the verb.
func (ix *Indexer) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "pii.Indexer{key: %s}", ix.KeyID())
}

// LogValue logs the indexer as its key id only.
func (ix *Indexer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key", ix.KeyID()))
}
