// Package class holds the subsidised training class (补贴性培训班): its filing by a training
// institution (开班备案), the bureau's review, the states it goes through (one table of allowed
// transitions, state.go), its roster of real-name checked workers (实名制), its sessions in the
// bureau's local time, the supervision flags raised about it (过程监督) and the subsidy
// catalogue a class must fit (configs/subsidy-catalogue.yaml).
//
// The rules (class.go, state.go, catalogue.go, input.go, validate.go, session.go) are types and
// rules only: no clock ("now" is always a parameter or the Service's injected Now), no storage
// and no HTTP. The use cases sit beside them in service*.go: Service files, reads, changes,
// reviews and cancels classes through the Store interface it declares, checks every roster line
// against the cardholder registry through worker.Directory, and writes each change in one
// Store.WithTx, which also commits the request's audit event.
//
// The store keeps no SSN or name of a roster member: a member is the registry's opaque worker
// id; the SSN and name read back for an answer come from the registry and are masked by the
// HTTP converter. No file of this package may know about HTTP, SQL, the cache or encryption
// (no gin, gorm or go-redis).
package class
