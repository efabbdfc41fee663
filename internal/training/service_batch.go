package training

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// PostBatch stores a batch of records for the institution, all or nothing, and returns one
// Result per row in row order: Created for new records, Unchanged for rows identical to a
// record the institution posted before (a retried batch creates nothing).
//
// Any bad row refuses the whole batch with one errs.Invalid, code invalid_batch, listing every
// bad field of every bad row by its 0-based index: the rules' codes (and parseErrs, the
// wrong_type cells of a CSV or XLSX batch), duplicate_in_batch for an external_id repeated in
// the batch, unknown_cardholder (field ssn) and name_mismatch (field name) from the real-name
// check, and duplicate_conflict (field external_id) for a row whose external_id holds a
// different record. Nothing is written then.
//
// Its cost does not grow with per-row queries: one registry lookup for every SSN of the
// batch, one lookup of the existing external_ids, then one transaction with multi-row inserts
// of the new records and one ledger append for their credits.
func (s *Service) PostBatch(ctx context.Context, institutionID string, inputs []Input, parseErrs ...errs.FieldError) ([]Result, error) {
	return s.postBatch(ctx, institutionID, inputs, nil, parseErrs)
}

// Link ties a record to the class it was completed from (package class), with the trainee's
// attendance rate: a fraction 0–1, rounded to four decimals.
type Link struct {
	ClassID        string
	AttendanceRate float64
}

// PostLinked is PostBatch for the records of a class's completion: links[i] is the class link
// of inputs[i]. Everything else — validation, the real-name check, idempotency by external_id,
// credits, the audit of the touched workers — is PostBatch's. Called inside the caller's
// WithTx, its records commit or roll back with the caller's writes.
func (s *Service) PostLinked(ctx context.Context, institutionID string, inputs []Input, links []Link) ([]Result, error) {
	if len(links) != len(inputs) {
		return nil, errs.Internal(errors.New("training: PostLinked needs one link per input"), "bad class completion")
	}
	return s.postBatch(ctx, institutionID, inputs, links, nil)
}

func (s *Service) postBatch(ctx context.Context, institutionID string, inputs []Input, links []Link, parseErrs []errs.FieldError) ([]Result, error) {
	if len(inputs) > MaxBatch {
		return nil, errs.Invalid(CodeBatchTooLarge, "the batch holds %d records; at most %d are allowed", len(inputs), MaxBatch)
	}
	if _, err := s.credits(Record{}); err != nil {
		return nil, err
	}
	now := s.now()
	records, valid, bad, err := validateRows(inputs, now.In(china), parseErrs)
	if err != nil {
		return nil, err
	}
	for i, l := range links {
		if valid[i] {
			rate := l.AttendanceRate
			records[i].ClassID, records[i].AttendanceRate = l.ClassID, &rate
		}
	}
	workerIDs, realNameErrs, existing, err := s.lookUp(ctx, institutionID, records, valid, links == nil)
	if err != nil {
		return nil, err
	}
	bad = append(bad, realNameErrs...)
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if existing, err = s.Store.TrainingsByExternalID(ctx, institutionID, externalIDs(records, valid)); err != nil {
				return nil, err
			}
		}
		results, fresh, conflicts := s.sortOut(institutionID, records, valid, workerIDs, existing, now)
		if rowErrs := append(slices.Clone(bad), conflicts...); len(rowErrs) > 0 {
			return nil, batchError(rowErrs, len(inputs))
		}
		if len(fresh) == 0 {
			return results, nil
		}
		err = s.store(ctx, fresh)
		if isDuplicate(err) && attempt < retries {
			continue // a concurrent post of some external_id committed first: compare again
		}
		if err != nil {
			return nil, err
		}
		changed := make([]string, len(fresh))
		for i, t := range fresh {
			changed[i] = t.WorkerID
		}
		slices.Sort(changed)
		s.changed(ctx, slices.Compact(changed)...)
		return results, nil
	}
}

// validateRows validates every row (ValidateBatch) and returns the records of the good rows
// (valid[i] tells which) and the field errors of the bad ones. A batch-level error (empty or
// too large) is returned as err.
func validateRows(inputs []Input, today time.Time, parseErrs []errs.FieldError) ([]Record, []bool, []errs.FieldError, error) {
	valid := make([]bool, len(inputs))
	records, err := ValidateBatch(inputs, today, parseErrs...)
	if err == nil {
		for i := range valid {
			valid[i] = true
		}
		return records, valid, nil, nil
	}
	e := errs.As(err)
	if e == nil || len(e.Fields) == 0 {
		return nil, nil, nil, err
	}
	// Some rows are bad: keep validating the others, so that the answer also lists their
	// real-name failures and conflicts.
	for i := range valid {
		valid[i] = true
	}
	for _, fe := range e.Fields {
		if fe.Index != nil && *fe.Index >= 0 && *fe.Index < len(inputs) {
			valid[*fe.Index] = false
		}
	}
	records = make([]Record, len(inputs))
	for i, in := range inputs {
		if !valid[i] {
			continue
		}
		rec, fields := in.Validate(today)
		if len(fields) > 0 { // cannot happen: ValidateBatch would have listed the row
			valid[i] = false
			continue
		}
		records[i] = rec
	}
	return records, valid, e.Fields, nil
}

// identify runs the real-name check of every valid row with one registry lookup. It returns
// the worker id of each row that passes (by row) and a field error for each that does not,
// marking it invalid.
func (s *Service) identify(ctx context.Context, records []Record, valid []bool) ([]string, []errs.FieldError, error) {
	ssns := make([]identity.SSN, 0, len(records))
	for i, r := range records {
		if valid[i] {
			ssns = append(ssns, r.SSN)
		}
	}
	workerIDs := make([]string, len(records))
	if len(ssns) == 0 {
		return workerIDs, nil, nil
	}
	known, err := s.Directory.Identify(ctx, ssns)
	if err != nil {
		return nil, nil, err
	}
	var bad []errs.FieldError
	for i, r := range records {
		if !valid[i] {
			continue
		}
		id, code := worker.CheckRealName(s.Directory, known, r.SSN, r.Name)
		switch code {
		case "":
			workerIDs[i] = id
		case worker.CodeUnknownCardholder:
			valid[i] = false
			bad = append(bad, errs.RowField(i, FieldSSN, code, "not in the cardholder registry"))
		default:
			valid[i] = false
			bad = append(bad, errs.RowField(i, FieldName, code, "does not match the registered name"))
		}
	}
	return workerIDs, bad, nil
}

// lookUp runs the batch's two reads: the real-name check of every valid row (identify) and
// the lookup of the valid rows' external_ids among the institution's records. With concurrent
// set (the batch has a transaction of its own, so the reads go to the pool) they run at the
// same time, each on its own connection; inside a caller's transaction, whose one connection
// takes one statement at a time, one after the other. The external_ids of rows that then fail
// the real-name check are looked up too, and left alone by sortOut.
func (s *Service) lookUp(ctx context.Context, institutionID string, records []Record, valid []bool, concurrent bool) ([]string, []errs.FieldError, map[string]Training, error) {
	if !concurrent {
		workerIDs, bad, err := s.identify(ctx, records, valid)
		if err != nil {
			return nil, nil, nil, err
		}
		existing, err := s.Store.TrainingsByExternalID(ctx, institutionID, externalIDs(records, valid))
		return workerIDs, bad, existing, err
	}
	ids := externalIDs(records, valid) // before identify marks rows invalid: read by the other goroutine
	var existing map[string]Training
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		existing, err = s.Store.TrainingsByExternalID(gctx, institutionID, ids)
		return err
	})
	workerIDs, bad, err := s.identify(gctx, records, valid)
	if gerr := g.Wait(); err == nil {
		err = gerr
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return workerIDs, bad, existing, nil
}

// externalIDs returns the external_ids of the valid rows.
func externalIDs(records []Record, valid []bool) []string {
	ids := make([]string, 0, len(records))
	for i, r := range records {
		if valid[i] {
			ids = append(ids, r.ExternalID)
		}
	}
	return ids
}

// sortOut sorts the valid rows, given the institution's existing records by external_id, into
// unchanged ones (their Result given), new ones (fresh, in external_id order, with their
// Result given) and conflicting ones (a duplicate_conflict field error each).
func (s *Service) sortOut(institutionID string, records []Record, valid []bool, workerIDs []string, existing map[string]Training, now time.Time) ([]Result, []Training, []errs.FieldError) {
	results := make([]Result, len(records))
	freshRows := make([]int, 0, max(len(records)-len(existing), 0))
	var conflicts []errs.FieldError
	for i, r := range records {
		if !valid[i] {
			continue
		}
		if prev, found := existing[r.ExternalID]; found {
			if !prev.Matches(workerIDs[i], r) {
				conflicts = append(conflicts, errs.RowField(i, FieldExternalID, CodeDuplicateConflict, "already used for a different record"))
				continue
			}
			results[i] = Result{Index: i, ID: prev.ID, Status: Unchanged}
			continue
		}
		freshRows = append(freshRows, i)
	}
	// The new records get their (time-ordered) ids in external_id order, the order store
	// inserts them in, so that the table's primary key grows at its end instead of splitting
	// its last pages for every row.
	slices.SortFunc(freshRows, func(a, b int) int { return cmp.Compare(records[a].ExternalID, records[b].ExternalID) })
	fresh := make([]Training, len(freshRows))
	for k, i := range freshRows {
		r := records[i]
		fresh[k] = s.newTraining(institutionID, workerIDs[i], r, s.Poster.Rules.TrainingCredits(r.Hours, r.Passed()), now)
		results[i] = Result{Index: i, ID: fresh[k].ID, Status: Created}
	}
	return results, fresh, conflicts
}

// store writes the new records and their credits in one transaction. The records go in
// external_id order, so that concurrent batches of one institution that share external_ids
// meet them in the same order (the later one waits, then finds them taken) instead of
// deadlocking.
func (s *Service) store(ctx context.Context, fresh []Training) error {
	ordered := slices.Clone(fresh)
	slices.SortFunc(ordered, func(a, b Training) int { return cmp.Compare(a.Record.ExternalID, b.Record.ExternalID) })
	credits := make([]credit.TrainingCredit, len(fresh))
	for i, t := range fresh {
		credits[i] = credit.TrainingCredit{WorkerID: t.WorkerID, TrainingID: t.ID, Hours: t.Record.Hours, Passed: t.Record.Passed()}
	}
	institutionID := ""
	if len(fresh) > 0 {
		institutionID = fresh[0].InstitutionID
	}
	return s.Store.WithTx(event.WithOrg(ctx, institutionID), func(ctx context.Context) error {
		touchWorkers(ctx, fresh)
		// The earners' accounts are locked first; then the records' INSERT (the batch's
		// longest statement) runs while this goroutine encodes the events and chains the
		// ledger entries, whose own statements wait for it.
		if err := s.Poster.LockEarners(ctx, credits); err != nil {
			return err
		}
		ctx, inserted := s.Store.InBackground(ctx, func(ctx context.Context) error {
			return s.Store.CreateTrainings(ctx, ordered)
		})
		defer func() { _ = inserted() }() // never leave the INSERT running, even on a panic
		err := emitPosted(ctx, fresh)
		if err == nil {
			_, err = s.Poster.TrainingsPosted(ctx, credits)
		}
		if ierr := inserted(); ierr != nil {
			return ierr
		}
		return err
	})
}

// batchError is the 422 of a refused batch: every field error, in row order.
func batchError(fields []errs.FieldError, total int) error {
	slices.SortStableFunc(fields, func(a, b errs.FieldError) int { return cmp.Compare(rowOf(a), rowOf(b)) })
	rows := 0
	last := -2
	for _, fe := range fields {
		if r := rowOf(fe); r != last {
			rows++
			last = r
		}
	}
	return errs.Invalid(CodeInvalidBatch, "%d of %d records are invalid; the batch is refused as a whole", rows, total).
		WithFields(fields...)
}

// rowOf is a field error's row, or -1 for one that names no row.
func rowOf(fe errs.FieldError) int {
	if fe.Index == nil {
		return -1
	}
	return *fe.Index
}
