package access

import (
	"context"
	"time"
)

// What kinds of read are recorded.
const (
	WhatCertificateVerification = "certificate_verification"
	WhatSharedRecord            = "shared_record"
	WhatSharedCertificates      = "shared_certificates"
	WhatAdminRecord             = "admin_record"
	WhatAdminLedgerVerify       = "admin_ledger_verify"
	WhatCredentialStatus        = "credential_status"
	WhatAdminClass              = "admin_class"      // the bureau read a class whose roster holds the worker
	WhatSupervisionFlag         = "supervision_flag" // the bureau listed a supervision flag about the worker
)

// Event is one read of a worker's data by someone else.
type Event struct {
	ID        int64
	WorkerID  string // whose data was read
	ActorID   string // principal id (client id, admin id); never personal data
	ActorRole string // employer, college, admin, ...
	OrgID     string // the reader's organisation, if any
	What      string // one of the What constants
	Why       string // the purpose: the admin's reason, the share id, the certificate number
	RequestID string
	At        time.Time
}

// Recorder appends access events. Callers record after a successful read; an error means
// the read must not be answered (the worker's right to know comes first).
type Recorder interface {
	RecordAccess(ctx context.Context, e Event) error
}

// Store keeps access events, append-only.
type Store interface {
	Recorder
	// AccessEvents returns up to limit of a worker's events with id below beforeID (0 = from
	// the newest), newest first.
	AccessEvents(ctx context.Context, workerID string, beforeID int64, limit int) ([]Event, error)
}
