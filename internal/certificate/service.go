package certificate

import (
	"context"
	"errors"
	"strings"
	"time"

	"skillrecord/internal/access"
	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
	"skillrecord/internal/page"
	"skillrecord/internal/worker"
)

// Store keeps certificates. Package sqlstore implements it; the holder's name is sealed and
// blind indexed there. Methods marked "in the transaction" must be called inside WithTx.
type Store interface {
	Lookups
	// WithTx runs fn in one transaction carried by the context (retried as a whole when it
	// loses a race with another transaction, so fn must not keep results of an earlier call).
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// Create stores a new certificate (in the transaction): errs Conflict duplicate_conflict
	// when its number exists.
	Create(ctx context.Context, r Record) error
	// Get reads one certificate by its canonical number; errs NotFound when there is none.
	Get(ctx context.Context, no string) (Record, error)
	// GetForUpdate is Get with a locking read (in the transaction): the row stays locked until
	// the transaction ends.
	GetForUpdate(ctx context.Context, no string) (Record, error)
	// SaveRevocation writes r's status, revocation time and reason (in the transaction).
	SaveRevocation(ctx context.Context, r Record) error
	// HeldInOccupation returns every certificate of the worker in one occupation, whatever its
	// type and status, with a locking read (in the transaction, after Credits.Lock).
	HeldInOccupation(ctx context.Context, workerID, occupationCode string) ([]Certificate, error)
	// ListForWorker returns up to p.Limit+1 of the worker's certificates after the cursor
	// position p.After (see Cursor), newest issue date first.
	ListForWorker(ctx context.Context, workerID string, p page.Request) ([]Record, error)
	// AllForWorker returns every certificate of the worker, newest issue date first.
	AllForWorker(ctx context.Context, workerID string) ([]Record, error)
}

// Lookups reads what verification needs of one certificate: the store, or a cache in front of
// it. Facts returns errs NotFound when there is no certificate with the canonical number no.
type Lookups interface {
	Facts(ctx context.Context, no string) (Facts, error)
}

// Credits posts the skill credits that certificates earn (package credit's CertificatePoster).
// Both methods run inside the caller's transaction.
type Credits interface {
	// Lock locks the worker's credit account until the transaction ends. The use cases take it
	// before they write or read any of the worker's certificates, so that all changes to one
	// worker's certificates and credits happen one after the other and in one lock order.
	Lock(ctx context.Context, workerID string) error
	// Changed posts what a change to c (just issued, or just revoked) does to the worker's
	// credits. For a type that counts by level, held are all the worker's certificates of c's
	// occupation, c included with its new status, read under the lock; otherwise held is nil.
	Changed(ctx context.Context, workerID string, c Certificate, held []Certificate) error
}

// RecordCache forgets cached worker records after a change has committed (nil-safe in the
// Service). Implementations log their own failures.
type RecordCache interface {
	WorkerChanged(ctx context.Context, workerIDs ...string)
}

// VerificationCache forgets cached verification facts after a change has committed, so that
// the next verification reads the database. Implementations log their own failures.
type VerificationCache interface {
	Forget(ctx context.Context, nos ...string)
}

// Service holds the certificate use cases: issue, revoke, a worker's list and verification.
type Service struct {
	Store     Store
	Credits   Credits
	Directory worker.Directory // the cardholder registry, for the real-name check
	// Lookups answers verifications; nil means Store. Wire the cache here.
	Lookups       Lookups
	Verifications VerificationCache // may be nil
	Records       RecordCache       // may be nil
	// Access records each successful verification in the holder's access log (docs/domain.md:
	// every read of a worker's data by someone else); nil records nothing.
	Access access.Recorder
	Now    func() time.Time
}

// bureauZone is the bureau's calendar: "today" is the civil date in China Standard Time, and a
// certificate expires at the end of its last day there.
var bureauZone = time.FixedZone("CST", 8*60*60)

// now returns the service's clock in the bureau's zone.
func (s *Service) now() time.Time { return s.Now().In(bureauZone) }

// today is the bureau's civil date now.
func (s *Service) today() Date { return civil.DateOf(s.now()) }

// Issue issues a certificate for an organisation (orgID) whose clients act in role: MayIssue
// (403 certificate_type_not_allowed), Validate (422 with every bad field), the real-name check
// against the registry (422 unknown_cardholder / name_mismatch), then, in one transaction, the
// certificate and its credits (409 duplicate_conflict when the number exists). After the
// commit it forgets the cached verification of the number and the holder's cached record.
func (s *Service) Issue(ctx context.Context, orgID, role string, in Input) (Record, error) {
	if IsType(strings.TrimSpace(in.Type)) {
		if err := MayIssue(role, strings.TrimSpace(in.Type)); err != nil {
			return Record{}, err
		}
	} else if role != roleEvaluationOrg && role != roleTrainingInstitution {
		return Record{}, MayIssue(role, TypeTraining)
	}
	now := s.now()
	cert, fields := in.Validate(now)
	if len(fields) > 0 {
		return Record{}, errs.Invalid(fields[0].Code, "the certificate is not valid").WithFields(fields...)
	}
	known, err := s.Directory.Identify(ctx, []identity.SSN{cert.SSN})
	if err != nil {
		return Record{}, err
	}
	workerID, code := worker.CheckRealName(s.Directory, known, cert.SSN, cert.Name)
	if code != "" {
		return Record{}, worker.RealNameError(code)
	}
	// The name matched the registry, so it has a normal form: keep that one.
	if cert.Name, err = worker.ParseName(cert.Name); err != nil {
		return Record{}, worker.RealNameError(worker.CodeNameMismatch)
	}
	cert.IssuerOrgID = orgID
	rec := Record{Certificate: cert, WorkerID: workerID, CreatedAt: now.UTC().Truncate(time.Microsecond)}

	err = s.Store.WithTx(event.WithOrg(ctx, orgID), func(ctx context.Context) error {
		if err := s.Credits.Lock(ctx, workerID); err != nil {
			return err
		}
		if err := s.Store.Create(ctx, rec); err != nil {
			return err
		}
		if err := emitChange(ctx, event.KindCertificateIssued, rec, rec.CreatedAt); err != nil {
			return err
		}
		return s.post(ctx, rec)
	})
	if err != nil {
		if errs.CodeOf(err) == "duplicate_conflict" {
			return Record{}, errs.Conflict("duplicate_conflict", "a certificate with this number already exists").
				WithFields(errs.Field("certificate_no", "duplicate_conflict", "already issued")).WithCause(err)
		}
		return Record{}, err
	}
	s.changed(ctx, rec)
	return rec, nil
}

// post posts the credits of a change to rec, inside the transaction that holds the lock.
func (s *Service) post(ctx context.Context, rec Record) error {
	var held []Certificate
	if CountsByLevel(rec.Type) {
		var err error
		if held, err = s.Store.HeldInOccupation(ctx, rec.WorkerID, rec.OccupationCode); err != nil {
			return err
		}
	}
	return s.Credits.Changed(ctx, rec.WorkerID, rec.Certificate, held)
}

// changed forgets what the caches hold about rec, after its change has committed.
func (s *Service) changed(ctx context.Context, rec Record) {
	ctx = context.WithoutCancel(ctx)
	if s.Verifications != nil {
		s.Verifications.Forget(ctx, rec.No)
	}
	if s.Records != nil {
		s.Records.WorkerChanged(ctx, rec.WorkerID)
	}
}

// errNotIssuer is what an organisation hears about a number it did not issue, or that does not
// exist: the two answer alike.
func errNotIssuer() error {
	return errs.NotFound("not_found", "no certificate with this number was issued by your organisation")
}

// Revoke revokes a certificate that orgID issued, for reason: another organisation's
// certificate and an unknown number answer alike (404 not_found); a revoked one is 409
// already_revoked; a reason that is missing or not 1–500 characters is 422 reason_required.
// The revocation and the compensating credit entry commit together; after the commit the
// cached verification of the number is forgotten, so that every verifier sees the revocation
// on the next call.
func (s *Service) Revoke(ctx context.Context, orgID, no, reason string) (Record, error) {
	canonical, err := ParseNo(no)
	if err != nil {
		return Record{}, errNotIssuer()
	}
	// A first, plain read learns whose certificate it is, so that the worker's lock can be
	// taken before the row is locked (the lock order of Issue).
	found, err := s.Store.Get(ctx, canonical)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return Record{}, errNotIssuer()
	case err != nil:
		return Record{}, err
	case found.IssuerOrgID != orgID:
		return Record{}, errNotIssuer()
	}
	var out Record
	err = s.Store.WithTx(event.WithOrg(ctx, orgID), func(ctx context.Context) error {
		if err := s.Credits.Lock(ctx, found.WorkerID); err != nil {
			return err
		}
		rec, err := s.Store.GetForUpdate(ctx, canonical)
		if err != nil {
			return err
		}
		if rec.IssuerOrgID != orgID || rec.WorkerID != found.WorkerID {
			return errNotIssuer()
		}
		rec.Certificate, err = rec.Revoke(reason, s.now())
		if err != nil {
			return reasonError(err)
		}
		truncated := rec.RevokedAt.Truncate(time.Microsecond)
		rec.RevokedAt = &truncated
		if err := s.Store.SaveRevocation(ctx, rec); err != nil {
			return err
		}
		if err := emitChange(ctx, event.KindCertificateRevoked, rec, *rec.RevokedAt); err != nil {
			return err
		}
		if err := s.post(ctx, rec); err != nil {
			return err
		}
		out = rec
		return nil
	})
	if err != nil {
		return Record{}, err
	}
	s.changed(ctx, out)
	return out, nil
}

// CodeReasonRequired is the code of a revocation whose reason is missing or not 1–500
// characters without control characters; the field error keeps the precise code.
const CodeReasonRequired = "reason_required"

// reasonError turns Revoke's reason errors into reason_required; others pass.
func reasonError(err error) error {
	e := errs.As(err)
	if e == nil || e.Kind != errs.KindInvalid {
		return err
	}
	return errs.Invalid(CodeReasonRequired, "a revocation needs a reason of 1 to %d characters without control characters", maxReason).
		WithFields(e.Fields...)
}

// ListForWorker returns one page of the worker's certificates, newest issue date first.
func (s *Service) ListForWorker(ctx context.Context, workerID string, p page.Request) (page.Result[Record], error) {
	if p.After != "" && !validCursor(p.After) {
		return page.Result[Record]{}, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
			WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
	}
	items, err := s.Store.ListForWorker(ctx, workerID, p)
	if err != nil {
		return page.Result[Record]{}, err
	}
	return page.Trim(items, p.Limit, Cursor), nil
}

// AllForWorker returns every certificate of the worker, newest issue date first (for the
// worker's record summary).
func (s *Service) AllForWorker(ctx context.Context, workerID string) ([]Record, error) {
	return s.Store.AllForWorker(ctx, workerID)
}

// Cursor is the list position of r: its issue date and number, "YYYY-MM-DD|NO". Lists run by
// issue date descending, then number descending.
func Cursor(r Record) string { return r.IssuedOn.String() + "|" + r.No }

// ParseCursor splits a position made by Cursor.
func ParseCursor(after string) (Date, string, error) {
	day, no, ok := strings.Cut(after, "|")
	d, err := civil.ParseDate(day)
	if !ok || err != nil {
		return Date{}, "", errBadCursor
	}
	if _, err := ParseNo(no); err != nil {
		return Date{}, "", errBadCursor
	}
	return d, no, nil
}

var errBadCursor = errors.New("certificate: bad list cursor")

func validCursor(after string) bool {
	_, _, err := ParseCursor(after)
	return err == nil
}
