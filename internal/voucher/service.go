package voucher

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/audit"
	"skillrecord/internal/civil"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
)

// Store keeps batches and vouchers. Its writes join the transaction that WithTx puts in the
// context.
type Store interface {
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// AddBatch stores a new batch; a key used before is errs.Conflict duplicate_conflict.
	AddBatch(ctx context.Context, b Batch) error
	// Batch returns the batch with the key; errs.NotFound when there is none.
	Batch(ctx context.Context, key string) (Batch, error)
	// LockBatch is Batch, locking the batch row until the transaction ends.
	LockBatch(ctx context.Context, key string) (Batch, error)
	// SaveBatch stores the batch's status, ClosedAt and Issued.
	SaveBatch(ctx context.Context, b Batch) error
	// Batches returns every batch, newest first.
	Batches(ctx context.Context) ([]Batch, error)
	// OpenBatches returns the open batches of the kind, newest first.
	OpenBatches(ctx context.Context, kind string) ([]Batch, error)
	// Profile returns the worker's trainee groups and card areas.
	Profile(ctx context.Context, workerID string) (Profile, error)
	// LockWorker locks the worker's registry row until the transaction ends.
	LockWorker(ctx context.Context, workerID string) error
	// AddVouchers stores new vouchers.
	AddVouchers(ctx context.Context, vs []Voucher) error
	// Voucher returns one voucher with its batch's kind and scope; errs.NotFound when there
	// is none.
	Voucher(ctx context.Context, id string) (Voucher, error)
	// LockVoucher is Voucher, locking the voucher row until the transaction ends.
	LockVoucher(ctx context.Context, id string) (Voucher, error)
	// SaveVoucher stores the voucher's state, class, line and times.
	SaveVoucher(ctx context.Context, v Voucher) error
	// WorkerVouchers returns the worker's vouchers, newest first.
	WorkerVouchers(ctx context.Context, workerID string) ([]Voucher, error)
	// LockClassVouchers returns the vouchers bound to the class, locking their rows.
	LockClassVouchers(ctx context.Context, classID string) ([]Voucher, error)
	// LineVoucher returns, locked, the voucher bound to the claim line's class of the line's
	// worker (used, settled or cancelled); errs.NotFound when there is none.
	LineVoucher(ctx context.Context, lineID string) (Voucher, error)
	// BatchVouchers returns the states, expiry days and face values of the batch's vouchers.
	BatchVouchers(ctx context.Context, key string) ([]Voucher, error)
}

// Service is the voucher use cases. Dates (expiry) are read in Location, the bureau's time
// zone.
type Service struct {
	Store     Store
	Catalogue *class.Catalogue
	Classes   Classes // the class use cases a voucher is used through; nil until wired
	Keys      Signer  // signs and checks the codes a worker shows
	Location  *time.Location
	Now       func() time.Time
	NewID     func() string // nil means UUID v7
}

// Outcome says what a write did.
type Outcome string

// Outcomes of a write.
const (
	Created   Outcome = "created"
	Unchanged Outcome = "unchanged"
)

// CreateBatch stores a new batch (Created); the same key with the same fields again answers
// the stored batch (Unchanged), with other fields 409 duplicate_conflict.
func (s *Service) CreateBatch(ctx context.Context, in BatchInput) (Batch, Outcome, error) {
	b, err := ParseBatch(in, s.Catalogue)
	if err != nil {
		return Batch{}, "", err
	}
	b.CreatedAt = s.now()
	var (
		out     Batch
		outcome Outcome
	)
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		prior, err := s.Store.Batch(ctx, b.Key)
		switch {
		case err == nil && prior.Same(b):
			out, outcome = prior, Unchanged
			return nil
		case err == nil:
			return errs.Conflict(CodeDuplicateConflict, "the key holds a different batch")
		case errs.KindOf(err) != errs.KindNotFound:
			return err
		}
		out, outcome = b, Created
		return s.Store.AddBatch(ctx, b)
	})
	if errs.CodeOf(err) == CodeDuplicateConflict && outcome == Created {
		// A concurrent create of the same key won; answer like a repeat.
		if prior, perr := s.Store.Batch(ctx, b.Key); perr == nil && prior.Same(b) {
			return prior, Unchanged, nil
		}
	}
	return out, outcome, err
}

// Batches returns every batch, newest first.
func (s *Service) Batches(ctx context.Context) ([]Batch, error) { return s.Store.Batches(ctx) }

// Batch returns one batch; 404 when there is none.
func (s *Service) Batch(ctx context.Context, key string) (Batch, error) {
	b, err := s.Store.Batch(ctx, key)
	if errs.KindOf(err) == errs.KindNotFound {
		return Batch{}, batchNotFound()
	}
	return b, err
}

// CloseBatch closes a batch: it issues no more vouchers; those held stay good. Closing a
// closed batch again answers it unchanged.
func (s *Service) CloseBatch(ctx context.Context, key string) (Batch, error) {
	now := s.now()
	var out Batch
	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
		b, err := s.Store.LockBatch(ctx, key)
		switch {
		case errs.KindOf(err) == errs.KindNotFound:
			return batchNotFound()
		case err != nil:
			return err
		}
		if b.Status != BatchClosed {
			b.Status, b.ClosedAt = BatchClosed, now
			if err := s.Store.SaveBatch(ctx, b); err != nil {
				return err
			}
		}
		out = b
		return nil
	})
	return out, err
}

// Stats returns a batch's figures, expiry applied by date.
func (s *Service) Stats(ctx context.Context, key string) (Batch, Stats, error) {
	b, err := s.Batch(ctx, key)
	if err != nil {
		return Batch{}, Stats{}, err
	}
	vs, err := s.Store.BatchVouchers(ctx, key)
	if err != nil {
		return Batch{}, Stats{}, err
	}
	today := s.today()
	st := Stats{Issued: b.Issued}
	for _, v := range vs {
		switch Effective(v.State, v.ExpiresOn, today) {
		case StateClaimed:
			st.Claimed++
		case StateUsed:
			st.Used++
		case StateSettled:
			st.Settled++
			st.SettledCents += v.FaceValueCents
		case StateExpired:
			st.Expired++
		case StateCancelled:
			st.Cancelled++
		}
	}
	return b, st, nil
}

// Available returns the open general batches the worker may claim from, newest first.
func (s *Service) Available(ctx context.Context, workerID string) ([]Batch, error) {
	bs, err := s.Store.OpenBatches(ctx, KindGeneral)
	if err != nil {
		return nil, err
	}
	p, err := s.Store.Profile(ctx, workerID)
	if err != nil {
		return nil, err
	}
	out := []Batch{}
	for _, b := range bs {
		if b.Issued < b.Quantity && b.Admits(p) {
			out = append(out, b)
		}
	}
	return out, nil
}

// Claim gives the worker a voucher of an open general batch (state claimed, good until the
// claiming day + valid_days). 404 for an unknown or directed batch; 409 batch_closed,
// not_eligible, voucher_limit (an unused voucher held), batch_exhausted. The batch row is
// locked, so concurrent claims never pass its quantity; the worker's row is locked, so two
// claims of one worker cannot both pass the limit.
func (s *Service) Claim(ctx context.Context, workerID string, in ClaimInput) (Voucher, error) {
	key := strings.TrimSpace(in.BatchKey)
	if !validKey(key) {
		return Voucher{}, errs.Invalid("required", "batch_key is required").
			WithFields(errs.Field("batch_key", "required", "a batch key"))
	}
	now, today := s.now(), s.today()
	var out Voucher
	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
		b, err := s.Store.LockBatch(ctx, key)
		switch {
		case errs.KindOf(err) == errs.KindNotFound || err == nil && b.Kind != KindGeneral:
			return batchNotFound()
		case err != nil:
			return err
		case b.Status != BatchOpen:
			return errs.Conflict(CodeBatchClosed, "the batch issues no more vouchers")
		}
		p, err := s.Store.Profile(ctx, workerID)
		if err != nil {
			return err
		}
		if !b.Admits(p) {
			return errs.Conflict(CodeNotEligible, "the worker is not eligible for the batch")
		}
		if err := s.Store.LockWorker(ctx, workerID); err != nil {
			return err
		}
		held, err := s.Store.WorkerVouchers(ctx, workerID)
		if err != nil {
			return err
		}
		for _, v := range held {
			if Unused(Effective(v.State, v.ExpiresOn, today)) {
				return errs.Conflict(CodeVoucherLimit, "the worker holds an unused voucher")
			}
		}
		if b.Issued >= b.Quantity {
			return errs.Conflict(CodeBatchExhausted, "the batch's vouchers are all issued")
		}
		out = s.newVoucher(b, workerID, StateClaimed, "", today, now)
		b.Issued++
		if err := s.Store.SaveBatch(ctx, b); err != nil {
			return err
		}
		audit.Touch(ctx, workerID)
		return s.Store.AddVouchers(ctx, []Voucher{out})
	})
	return out, err
}

// Mine returns the worker's vouchers, newest first, expiry applied by date.
func (s *Service) Mine(ctx context.Context, workerID string) ([]Voucher, error) {
	vs, err := s.Store.WorkerVouchers(ctx, workerID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	for i := range vs {
		vs[i].State = Effective(vs[i].State, vs[i].ExpiresOn, today)
	}
	return vs, nil
}

// own returns the worker's voucher, expiry applied; 404 for another's or an unknown one.
func (s *Service) own(ctx context.Context, workerID, id string, lock bool) (Voucher, error) {
	if !validID(id) {
		return Voucher{}, voucherNotFound()
	}
	get := s.Store.Voucher
	if lock {
		get = s.Store.LockVoucher
	}
	v, err := get(ctx, id)
	switch {
	case errs.KindOf(err) == errs.KindNotFound || err == nil && v.WorkerID != workerID:
		return Voucher{}, voucherNotFound()
	case err != nil:
		return Voucher{}, err
	}
	v.State = Effective(v.State, v.ExpiresOn, s.today())
	return v, nil
}

func (s *Service) newVoucher(b Batch, workerID, state, classID string, today civil.Date, now time.Time) Voucher {
	return Voucher{ID: s.newID(), BatchKey: b.Key, Kind: b.Kind, WorkerID: workerID, State: state,
		FaceValueCents: b.FaceValueCents, ExpiresOn: addDays(today, b.ValidDays), ClassID: classID, Scope: b.Scope(),
		CreatedAt: now, UpdatedAt: now}
}

func addDays(d civil.Date, n int) civil.Date { return civil.DateOf(d.Time().AddDate(0, 0, n)) }

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) location() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return time.UTC
}

func (s *Service) today() civil.Date { return civil.DateOf(s.Now().In(s.location())) }

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func batchNotFound() error   { return errs.NotFound(CodeNotFound, "no such voucher batch") }
func voucherNotFound() error { return errs.NotFound(CodeNotFound, "no such voucher of yours") }

func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// BySource returns the figures of the batches created in the calendar year (in Location), summed
// per fund source; a source without batches is absent.
func (s *Service) BySource(ctx context.Context, year int) (map[string]Stats, error) {
	bs, err := s.Store.Batches(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]Stats{}
	for _, b := range bs {
		if b.CreatedAt.In(s.location()).Year() != year {
			continue
		}
		_, st, err := s.Stats(ctx, b.Key)
		if err != nil {
			return nil, err
		}
		sum := out[b.FundSource]
		sum.Issued += st.Issued
		sum.Claimed += st.Claimed
		sum.Used += st.Used
		sum.Settled += st.Settled
		sum.Expired += st.Expired
		sum.Cancelled += st.Cancelled
		sum.SettledCents += st.SettledCents
		out[b.FundSource] = sum
	}
	return out, nil
}
