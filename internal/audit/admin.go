package audit

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"skillrecord/internal/access"
	"skillrecord/internal/auth"
	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/record"
	"skillrecord/internal/worker"
)

// MaxReason is the longest reason an admin may give for reading a worker's record, in
// characters.
const MaxReason = 500

// LedgerCheckPurpose is the why of the access event a ledger check leaves.
const LedgerCheckPurpose = "credit ledger integrity check"

// AdminAccess is the bureau's audited access to one worker, named by SSN: the full record
// (with a reason) and the ledger's hash-chain check. Each answer is preceded by an access
// event the worker sees in their access log; the HTTP layer's audit event (which Touch tells
// whose data it was) is the second trail.
type AdminAccess struct {
	Workers interface {
		WorkerBySSN(ctx context.Context, ssn identity.SSN) (worker.Worker, error)
	}
	Records interface {
		Summary(ctx context.Context, workerID string) (record.Summary, error)
	}
	Ledger interface {
		Account(ctx context.Context, workerID string) (credit.Account, error)
		AllEntries(ctx context.Context, workerID string) ([]credit.Entry, error)
	}
	Access access.Recorder
	Now    func() time.Time
}

// LedgerCheck is the result of recomputing a worker's ledger.
type LedgerCheck struct {
	WorkerID    string
	Entries     int   // how many entries were checked
	Valid       bool  // the chain is intact and as long as the account says
	FirstBadSeq int64 // the first entry that fails (or is missing), when not Valid
}

// CheckReason returns the reason trimmed, or 422 reason_required when it is empty or longer
// than MaxReason characters.
func CheckReason(reason string) (string, error) {
	r := strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(r); n == 0 || n > MaxReason || !utf8.ValidString(r) {
		return "", errs.Invalid("reason_required", "give the reason for reading this record (1 to %d characters)", MaxReason).
			WithFields(errs.Field("reason", "reason_required", "1 to 500 characters"))
	}
	return r, nil
}

// Record returns the full record of the worker holding ssn for an admin who gives a reason:
// 422 reason_required or invalid_ssn, 404 when nobody holds the SSN. The read is recorded as
// an access event (why = the reason) before the record is returned; if that fails, nothing
// is returned.
func (a *AdminAccess) Record(ctx context.Context, ssn, reason string) (record.Summary, error) {
	p, err := admin(ctx)
	if err != nil {
		return record.Summary{}, err
	}
	why, reasonErr := CheckReason(reason)
	w, err := a.worker(ctx, ssn, reasonErr)
	if err != nil {
		return record.Summary{}, err
	}
	s, err := a.Records.Summary(ctx, w.ID)
	if err != nil {
		return record.Summary{}, err
	}
	if err := a.record(ctx, p, w.ID, access.WhatAdminRecord, why); err != nil {
		return record.Summary{}, err
	}
	return s, nil
}

// VerifyLedger recomputes the hash chain of the ledger of the worker holding ssn
// (credit.Verify) and checks that no entry is missing at its end (the account's last seq):
// 422 invalid_ssn, 404 when nobody holds the SSN. The check is recorded as an access event.
func (a *AdminAccess) VerifyLedger(ctx context.Context, ssn string) (LedgerCheck, error) {
	p, err := admin(ctx)
	if err != nil {
		return LedgerCheck{}, err
	}
	w, err := a.worker(ctx, ssn, nil)
	if err != nil {
		return LedgerCheck{}, err
	}
	// The account first: entries only ever grow, so every seq it counts must be readable next.
	acct, err := a.Ledger.Account(ctx, w.ID)
	if err != nil {
		return LedgerCheck{}, err
	}
	entries, err := a.Ledger.AllEntries(ctx, w.ID)
	if err != nil {
		return LedgerCheck{}, err
	}
	out := LedgerCheck{WorkerID: w.ID, Entries: len(entries), Valid: true}
	if bad, ok := credit.Verify(entries); !ok {
		out.Valid, out.FirstBadSeq = false, bad
	} else if int64(len(entries)) < acct.LastSeq {
		out.Valid, out.FirstBadSeq = false, int64(len(entries))+1
	}
	if err := a.record(ctx, p, w.ID, access.WhatAdminLedgerVerify, LedgerCheckPurpose); err != nil {
		return LedgerCheck{}, err
	}
	return out, nil
}

// worker validates ssn (reporting it together with an earlier field error, if any) and
// finds its holder, whom it announces to the audit trail.
func (a *AdminAccess) worker(ctx context.Context, raw string, earlier error) (worker.Worker, error) {
	ssn, ssnErr := identity.ParseSSN(raw, a.Now().In(Calendar))
	switch {
	case earlier != nil && ssnErr != nil:
		e := errs.As(earlier)
		return worker.Worker{}, e.WithFields(errs.Field("ssn", identity.CodeInvalidSSN, "not a valid social security number"))
	case earlier != nil:
		return worker.Worker{}, earlier
	case ssnErr != nil:
		return worker.Worker{}, errs.As(ssnErr).WithFields(errs.Field("ssn", identity.CodeInvalidSSN, "not a valid social security number"))
	}
	w, err := a.Workers.WorkerBySSN(ctx, ssn)
	if errs.KindOf(err) == errs.KindNotFound {
		return worker.Worker{}, errs.NotFound("not_found", "no worker is registered with this social security number")
	}
	if err != nil {
		return worker.Worker{}, err
	}
	Touch(ctx, w.ID)
	return w, nil
}

// admin returns the calling admin; the routes admit no one else, so anything else is refused.
func admin(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.PrincipalFrom(ctx)
	if !ok || p.Role != auth.RoleAdmin {
		return auth.Principal{}, errs.Forbidden("forbidden", "only the bureau's administrators may do this")
	}
	return p, nil
}

// record appends the access event of an admin's read of workerID.
func (a *AdminAccess) record(ctx context.Context, p auth.Principal, workerID, what, why string) error {
	return a.Access.RecordAccess(ctx, access.Event{
		WorkerID: workerID, ActorID: p.ID, ActorRole: string(p.Role), OrgID: p.OrgID,
		What: what, Why: why, RequestID: RequestID(ctx), At: a.Now().UTC().Truncate(time.Microsecond),
	})
}
