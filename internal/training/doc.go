// Package training holds the training record (培训记录) that institutions post to a worker's
// lifelong e-record: its request shape (Input), its validated domain form (Record), every rule
// of DESIGN.md that a record must meet, the idempotency comparison (Record.SameAs), and the
// readers of a batch posted as JSON, CSV or XLSX (ParseBatchJSON, ParseBatchCSV,
// ParseBatchXLSX, ValidateBatch). It also defines Date, the civil-date type of the domain.
//
// Validation reports every bad field at once as errs.FieldError values named by their JSON
// field names (with the 0-based row index in a batch). Messages never contain the submitted
// value: SSNs and names are personal data under PIPL.
//
// This package is types and rules only. It must not know about HTTP, SQL, the cache or
// encryption (no gin, gorm or go-redis), nor about the cardholder registry, the institution
// posting the record, credits or storage identities: those belong to the service and store
// layers that call it. It has no global mutable state and reads no clock: "today" is always a
// parameter.
package training
