package voucher

import (
	"context"
	"errors"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/event"
)

// Classes is what using a voucher needs of the classes: the class row to lock, the roster to
// join (the roster write of the class package) and the supervision flag insert.
type Classes interface {
	LockClass(ctx context.Context, id string) (class.Class, error)
	ChangeRoster(ctx context.Context, classID string, add, remove []string, at time.Time) error
	Raise(ctx context.Context, f class.Flag) error
}

// FlagVoucherRefused is the supervision flag kind of a refused voucher code.
const FlagVoucherRefused = class.FlagVoucherRefused

// UseInput is the JSON request of POST /classes/{id}/vouchers.
type UseInput struct {
	Code string `json:"code"`
}

// Code is a shown code and when it stops being good.
type Code struct {
	Code      string
	ExpiresAt time.Time
}

// Code signs a code for the worker's claimed general voucher, good for CodeTTL. 404 for
// another's voucher; 409 voucher_expired, voucher_used (used, settled or cancelled),
// not_general (a directed voucher is accepted, not shown).
func (s *Service) Code(ctx context.Context, workerID, id string) (Code, error) {
	v, err := s.own(ctx, workerID, id, false)
	if err != nil {
		return Code{}, err
	}
	if err := unusable(v); err != nil {
		return Code{}, err
	}
	if v.Kind != KindGeneral {
		return Code{}, errs.Conflict(CodeNotGeneral, "a directed voucher is accepted, not shown")
	}
	exp := s.now().Add(CodeTTL)
	return Code{Code: Sign(s.Keys, v.ID, exp), ExpiresAt: exp}, nil
}

// unusable is the refusal of a voucher that cannot be used any more (nil when it can).
func unusable(v Voucher) error {
	switch v.State {
	case StateExpired:
		return errs.Conflict(CodeVoucherExpired, "the voucher is past its last valid day")
	case StateIssued, StateClaimed:
		return nil
	}
	return errs.Conflict(CodeVoucherUsed, "the voucher was used, settled or cancelled")
}

// Use is the institution scanning a worker's code on its approved class before the first
// session starts: the voucher becomes used, bound to the class, and the worker joins the
// roster. The same voucher on the same class again answers Unchanged. Refusals: 422
// code_invalid; 409 voucher_expired, voucher_used, voucher_out_of_scope, class_started,
// class_full, invalid_transition (a class that is not approved); each is also a supervision
// flag voucher_refused on the class. Another institution's or an unknown class is 404.
func (s *Service) Use(ctx context.Context, institutionID, classID string, in UseInput) (Voucher, Outcome, error) {
	now := s.now()
	if !validID(classID) {
		return Voucher{}, "", classNotFound()
	}
	id, valid := Verify(s.Keys, in.Code, now)
	var (
		out      Voucher
		outcome  Outcome
		refused  error
		workerID string
	)
	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.Classes.LockClass(ctx, classID)
		switch {
		case errs.KindOf(err) == errs.KindNotFound || err == nil && c.InstitutionID != institutionID:
			return classNotFound()
		case err != nil:
			return err
		}
		if !valid {
			refused = errs.Invalid(CodeCodeInvalid, "the code is stale or forged").
				WithFields(errs.Field("code", CodeCodeInvalid, "show a fresh code"))
			return refused
		}
		v, err := s.Store.LockVoucher(ctx, id)
		if err != nil {
			if errs.KindOf(err) == errs.KindNotFound {
				refused = errs.Invalid(CodeCodeInvalid, "the code names no voucher")
				return refused
			}
			return err
		}
		workerID = v.WorkerID
		v.State = Effective(v.State, v.ExpiresOn, s.today())
		if v.State == StateUsed && v.ClassID == c.ID {
			out, outcome = v, Unchanged
			return nil
		}
		if refused = s.check(c, v, now); refused != nil {
			return refused
		}
		if !c.OnRoster(v.WorkerID) {
			if err := s.Classes.ChangeRoster(ctx, c.ID, []string{v.WorkerID}, nil, now); err != nil {
				return err
			}
		}
		v.State, v.ClassID, v.UsedAt, v.UpdatedAt = StateUsed, c.ID, now, now
		if err := s.Store.SaveVoucher(ctx, v); err != nil {
			return err
		}
		audit.Touch(ctx, v.WorkerID)
		out, outcome = v, Created
		return emitUsed(ctx, v, c.InstitutionID)
	})
	if refused != nil && errors.Is(err, refused) {
		flag := class.Flag{Kind: FlagVoucherRefused, ClassID: classID, WorkerID: workerID, At: now, Detail: errs.CodeOf(refused)}
		if ferr := s.Store.WithTx(ctx, func(ctx context.Context) error { return s.Classes.Raise(ctx, flag) }); ferr != nil {
			return Voucher{}, "", ferr
		}
	}
	if err != nil {
		return Voucher{}, "", err
	}
	return out, outcome, nil
}

// check is the refusal of using v on c (nil when it may be used).
func (s *Service) check(c class.Class, v Voucher, now time.Time) error {
	if err := unusable(v); err != nil {
		return err
	}
	if v.Kind != KindGeneral || !v.Scope.Fits(c) {
		return errs.Conflict(CodeOutOfScope, "the voucher's scope does not fit the class")
	}
	if c.Status != class.StatusApproved {
		return errs.Conflict(CodeInvalidTransition, "only an approved class takes vouchers; this one is %s", c.Status)
	}
	if c.Started(now, s.location()) {
		return errs.Conflict(CodeClassStarted, "the class's first session has begun")
	}
	if !c.OnRoster(v.WorkerID) && len(c.Roster) >= c.Capacity {
		return errs.Conflict(CodeClassFull, "the class's roster is at capacity")
	}
	return nil
}

// Accept is the worker accepting a directed voucher issued to them for a class: issued →
// used, possible until the class's completion is filed. The same again answers it Unchanged.
func (s *Service) Accept(ctx context.Context, workerID, id string) (Voucher, Outcome, error) {
	now := s.now()
	var (
		out     Voucher
		outcome Outcome
	)
	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
		v, err := s.own(ctx, workerID, id, true)
		if err != nil {
			return err
		}
		if v.Kind != KindDirected {
			return errs.Conflict(CodeInvalidTransition, "only a directed voucher is accepted")
		}
		if v.State == StateUsed {
			out, outcome = v, Unchanged
			return nil
		}
		if err := unusable(v); err != nil {
			return err
		}
		c, err := s.Classes.LockClass(ctx, v.ClassID)
		if err != nil {
			return err
		}
		if c.Status != class.StatusApproved {
			return errs.Conflict(CodeInvalidTransition, "the class is %s", c.Status)
		}
		if err := Move(v.State, StateUsed); err != nil {
			return err
		}
		v.State, v.UsedAt, v.UpdatedAt = StateUsed, now, now
		if err := s.Store.SaveVoucher(ctx, v); err != nil {
			return err
		}
		audit.Touch(ctx, v.WorkerID)
		out, outcome = v, Created
		return emitUsed(ctx, v, c.InstitutionID)
	})
	return out, outcome, err
}

// Approved issues directed vouchers when a class is approved (called in the approval's
// transaction): under a voucher_required catalogue entry, an open directed batch whose scope
// fits the class issues one voucher (state issued, bound to the class) to each roster member
// as the approval sees it, as far as its quantity goes. Members holding a voucher of the class
// already get none.
func (s *Service) Approved(ctx context.Context, c class.Class) error {
	item, ok := s.Catalogue.Item(c.SubsidyItem)
	if !ok || !item.VoucherRequired || len(c.Roster) == 0 {
		return nil
	}
	batches, err := s.Store.OpenBatches(ctx, KindDirected)
	if err != nil {
		return err
	}
	now, today := s.now(), s.today()
	for _, candidate := range batches {
		if !candidate.Scope().Fits(c) {
			continue
		}
		b, err := s.Store.LockBatch(ctx, candidate.Key)
		if err != nil {
			return err
		}
		var vs []Voucher
		for _, m := range c.Roster {
			if b.Issued >= b.Quantity {
				break
			}
			vs = append(vs, s.newVoucher(b, m.WorkerID, StateIssued, c.ID, today, now))
			b.Issued++
		}
		if len(vs) == 0 {
			return nil
		}
		if err := s.Store.SaveBatch(ctx, b); err != nil {
			return err
		}
		return s.Store.AddVouchers(ctx, vs)
	}
	return nil
}

func emitUsed(ctx context.Context, v Voucher, institutionID string) error {
	return event.Emit(ctx, event.Event{Kind: event.KindVoucherUsed, WorkerRef: v.WorkerID, OrgID: institutionID,
		SubjectID: v.ID, Data: event.MarshalData(struct {
			BatchKey       string `json:"batch_key"`
			ClassID        string `json:"class_id"`
			FaceValueCents int64  `json:"face_value_cents"`
		}{v.BatchKey, v.ClassID, int64(v.FaceValueCents)})})
}

func classNotFound() error { return errs.NotFound(CodeNotFound, "no such class") }
