// Package training holds the training record (培训记录) that institutions post to a worker's
// lifelong e-record: its request shape (Input), its validated domain form (Record), every rule
// of docs/domain.md that a record must meet, the idempotency comparison (Record.SameAs), and the
// readers of a batch posted as JSON, CSV or XLSX (ParseBatchJSON, ParseBatchSheet — a clerk's
// spreadsheet, read through package sheet with the Chinese header and value table of
// batch_sheet.go — and ValidateBatch). It also defines Date, the civil-date type of the domain.
//
// Validation reports every bad field at once as errs.FieldError values named by their JSON
// field names (with the 0-based row index in a batch). Messages never contain the submitted
// value: SSNs and names are personal data under PIPL.
//
// The rules (input.go, record.go, validate.go, batch*.go) are types and rules only: they know
// nothing of the cardholder registry, the institution posting the record, credits or storage
// identities, hold no global mutable state and read no clock ("today" is always a parameter).
//
// The use cases sit beside them: Service (service*.go) posts, lists and voids records — the
// real-name check through worker.Directory, the credits through credit.Poster, storage through
// the Store interface it declares — and Training (training.go) is the stored form of a record.
// No file of this package may know about HTTP, SQL, the cache or encryption (no gin, gorm or
// go-redis): those belong to the adapters that implement its interfaces.
package training
