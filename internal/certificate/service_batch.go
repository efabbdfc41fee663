package certificate

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// Outcome says what a batch did with one row.
type Outcome string

// The outcomes of a batch row.
const (
	Created   Outcome = "created"   // a new certificate
	Unchanged Outcome = "unchanged" // identical to one the organisation issued before
)

// Result is the outcome of one row of a batch.
type Result struct {
	Index    int
	No       string
	Status   Outcome
	WorkerID string // the holder's opaque id, for the audit trail
}

// batchRetries bounds how often a batch is compared again after a concurrent issue of one of
// its numbers committed first.
const batchRetries = 3

// IssueBatch issues a batch of certificates for an organisation, all or nothing, with the rules
// of Issue for every row, and returns one Result per row in row order: Created, or Unchanged
// for a row identical to a certificate the organisation issued before (a retried batch issues
// nothing).
//
// Any bad row refuses the whole batch with one errs.Invalid, code invalid_batch, listing every
// bad field of every bad row by its 0-based index: Validate's codes (and parseErrs, the
// wrong_type cells of a spreadsheet), certificate_type_not_allowed (field type) for a type the
// role may not issue, duplicate_in_batch for a number repeated in the batch,
// unknown_cardholder (ssn) and name_mismatch (name) from one registry lookup, and
// duplicate_conflict (certificate_no) for a number that holds a different certificate. Nothing
// is written then. Otherwise the new certificates and their credits commit in one transaction,
// the holders' credit accounts locked in worker order.
func (s *Service) IssueBatch(ctx context.Context, orgID, role string, inputs []Input, parseErrs ...errs.FieldError) ([]Result, error) {
	if err := checkCount(len(inputs), MaxBatch); err != nil {
		return nil, err
	}
	if role != roleEvaluationOrg && role != roleTrainingInstitution {
		return nil, MayIssue(role, TypeTraining)
	}
	now := s.now()
	certs, bad := s.validateBatch(inputs, role, now, parseErrs)
	workerIDs, realName, err := s.identifyBatch(ctx, certs)
	if err != nil {
		return nil, err
	}
	bad = append(bad, realName...)
	for attempt := 1; ; attempt++ {
		results, fresh, conflicts, err := s.sortOutBatch(ctx, orgID, certs, workerIDs, now)
		if err != nil {
			return nil, err
		}
		if rowErrs := append(slices.Clone(bad), conflicts...); len(rowErrs) > 0 {
			return nil, batchError(rowErrs, len(inputs))
		}
		if len(fresh) == 0 {
			return results, nil
		}
		err = s.storeBatch(ctx, fresh)
		if errs.CodeOf(err) == "duplicate_conflict" && attempt < batchRetries {
			continue // a concurrent issue of one of the numbers committed first: compare again
		}
		if err != nil {
			return nil, err
		}
		for _, rec := range fresh {
			s.changed(ctx, rec)
		}
		return results, nil
	}
}

// validateBatch validates every row; certs[i] is nil for a bad row.
func (s *Service) validateBatch(inputs []Input, role string, now time.Time, parseErrs []errs.FieldError) ([]*Certificate, []errs.FieldError) {
	parsed := map[int][]errs.FieldError{}
	for _, fe := range parseErrs {
		i := -1
		if fe.Index != nil {
			i = *fe.Index
		}
		parsed[i] = append(parsed[i], fe)
	}
	bad := parsed[-1]
	certs := make([]*Certificate, len(inputs))
	seen := map[string]int{}
	for i, in := range inputs {
		rowErrs := parsed[i]
		cert, fields := in.Validate(now)
		for _, fe := range fields {
			if !hasField(rowErrs, fe.Field) {
				rowErrs = append(rowErrs, errs.RowField(i, fe.Field, fe.Code, fe.Message))
			}
		}
		if t := strings.TrimSpace(in.Type); IsType(t) && MayIssue(role, t) != nil {
			rowErrs = append(rowErrs, errs.RowField(i, "type", CodeCertificateTypeNotAllowed, "your organisation may issue only training certificates"))
		}
		if no, err := ParseNo(in.No); err == nil {
			if first, dup := seen[no]; dup {
				rowErrs = append(rowErrs, errs.RowField(i, "certificate_no", CodeDuplicateInBatch,
					fmt.Sprintf("certificate_no repeats the certificate at index %d of this batch", first)))
			} else {
				seen[no] = i
			}
		}
		if len(rowErrs) > 0 {
			bad = append(bad, rowErrs...)
			continue
		}
		certs[i] = &cert
	}
	return certs, bad
}

func hasField(fields []errs.FieldError, name string) bool {
	for _, fe := range fields {
		if fe.Field == name {
			return true
		}
	}
	return false
}

// identifyBatch runs the real-name check of every valid row with one registry lookup; a row
// that fails it gets a field error and becomes nil in certs. The holder's name takes the
// registry's normal form.
func (s *Service) identifyBatch(ctx context.Context, certs []*Certificate) ([]string, []errs.FieldError, error) {
	var ssns []identity.SSN
	for _, c := range certs {
		if c != nil {
			ssns = append(ssns, c.SSN)
		}
	}
	workerIDs := make([]string, len(certs))
	if len(ssns) == 0 {
		return workerIDs, nil, nil
	}
	known, err := s.Directory.Identify(ctx, ssns)
	if err != nil {
		return nil, nil, err
	}
	var bad []errs.FieldError
	for i, c := range certs {
		if c == nil {
			continue
		}
		id, code := worker.CheckRealName(s.Directory, known, c.SSN, c.Name)
		if code == "" {
			if c.Name, err = worker.ParseName(c.Name); err != nil {
				code = worker.CodeNameMismatch
			}
		}
		switch code {
		case "":
			workerIDs[i] = id
			continue
		case worker.CodeUnknownCardholder:
			bad = append(bad, errs.RowField(i, "ssn", code, "not in the cardholder registry"))
		default:
			bad = append(bad, errs.RowField(i, "name", code, "does not match the registered name"))
		}
		certs[i] = nil
	}
	return workerIDs, bad, nil
}

// sortOutBatch looks up the valid rows' numbers and sorts the rows into unchanged ones, new
// ones (fresh) and conflicting ones.
func (s *Service) sortOutBatch(ctx context.Context, orgID string, certs []*Certificate, workerIDs []string, now time.Time) ([]Result, []Record, []errs.FieldError, error) {
	results := make([]Result, len(certs))
	var (
		fresh     []Record
		conflicts []errs.FieldError
	)
	for i, c := range certs {
		if c == nil {
			continue
		}
		prev, err := s.Store.Get(ctx, c.No)
		switch {
		case errs.KindOf(err) == errs.KindNotFound:
			cert := *c
			cert.IssuerOrgID = orgID
			fresh = append(fresh, Record{Certificate: cert, WorkerID: workerIDs[i], CreatedAt: now.UTC().Truncate(time.Microsecond)})
			results[i] = Result{Index: i, No: c.No, Status: Created, WorkerID: workerIDs[i]}
		case err != nil:
			return nil, nil, nil, err
		case prev.IssuerOrgID == orgID && sameCertificate(prev, workerIDs[i], *c):
			results[i] = Result{Index: i, No: c.No, Status: Unchanged, WorkerID: workerIDs[i]}
		default:
			conflicts = append(conflicts, errs.RowField(i, "certificate_no", "duplicate_conflict", "already issued for a different certificate"))
		}
	}
	return results, fresh, conflicts, nil
}

// sameCertificate reports whether the stored prev is what the row c would issue to workerID.
func sameCertificate(prev Record, workerID string, c Certificate) bool {
	return prev.WorkerID == workerID && prev.Name == c.Name && prev.Type == c.Type &&
		prev.OccupationCode == c.OccupationCode && prev.OccupationName == c.OccupationName &&
		equalPtr(prev.Level, c.Level) && prev.IssuedOn == c.IssuedOn && equalPtr(prev.ValidUntil, c.ValidUntil)
}

func equalPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// storeBatch writes the new certificates and their credits in one transaction, taking the
// holders' locks in worker order (then number order), so that concurrent batches cannot
// deadlock on each other's workers.
func (s *Service) storeBatch(ctx context.Context, fresh []Record) error {
	ordered := slices.Clone(fresh)
	slices.SortFunc(ordered, func(a, b Record) int {
		return cmp.Or(cmp.Compare(a.WorkerID, b.WorkerID), cmp.Compare(a.No, b.No))
	})
	return s.Store.WithTx(ctx, func(ctx context.Context) error {
		locked := ""
		for _, rec := range ordered {
			if rec.WorkerID != locked {
				if err := s.Credits.Lock(ctx, rec.WorkerID); err != nil {
					return err
				}
				locked = rec.WorkerID
			}
			if err := s.Store.Create(ctx, rec); err != nil {
				return err
			}
			if err := s.post(ctx, rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// batchError is the 422 of a refused batch: every field error, in row order.
func batchError(fields []errs.FieldError, total int) error {
	rowOf := func(fe errs.FieldError) int {
		if fe.Index == nil {
			return -1
		}
		return *fe.Index
	}
	slices.SortStableFunc(fields, func(a, b errs.FieldError) int { return cmp.Compare(rowOf(a), rowOf(b)) })
	rows, last := 0, -2
	for _, fe := range fields {
		if r := rowOf(fe); r != last {
			rows++
			last = r
		}
	}
	return errs.Invalid(CodeInvalidBatch, "%d of %d certificates are invalid; the batch is refused as a whole", rows, total).
		WithFields(fields...)
}
