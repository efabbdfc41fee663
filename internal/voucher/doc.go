// Package voucher holds electronic training vouchers (职业培训券) carried by the social
// security card: the bureau's batches, general (通用券: an eligible worker claims one) or
// directed (定向券: issued to the roster of an approved class under a voucher_required
// catalogue entry); a worker's claim of one; the signed code the worker shows and the
// institution scans to use a general voucher on a class (用券); and the figures of a batch.
//
// voucher.go and batch.go are types and rules, state.go the one table of allowed state
// transitions, code.go the signed code; none has a clock ("now" is the Service's injected Now).
// The use cases sit in service*.go and write through the Store interface they declare, each
// change in one Store.WithTx, which also commits the request's audit event and the outbox
// events (voucher.used). A voucher names its worker by the registry's opaque worker id. No file
// of this package may know about HTTP, SQL, the cache or encryption (no gin, gorm or go-redis).
package voucher
