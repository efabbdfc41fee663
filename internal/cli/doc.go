// Package cli is the skillrecord command: it parses the subcommand, loads the configuration,
// wires the stores, cache, keys and HTTP server together, and runs. Run is what main calls
// and what the end-to-end tests call; it never calls os.Exit and reads no global state.
package cli
