// Package record assembles a worker's e-record summary (GET /me/record) from the registry,
// the ledger, the training records and the certificates. It knows the shape of the summary and
// where its parts come from, through small interfaces; not SQL, Redis or HTTP.
package record
