package voucher

import (
	"context"

	"skillrecord/internal/claim"
	"skillrecord/internal/errs"
)

// Settle marks settled, in the disbursement's transaction, the used voucher bound to the class
// of each paid line's worker, naming the line. A voucher settled before is left as it is, so
// nothing is settled twice; a line with no voucher (an item that requires none) is skipped.
func (s *Service) Settle(ctx context.Context, classID string, lines []claim.SettledLine) error {
	if len(lines) == 0 {
		return nil
	}
	vs, err := s.Store.LockClassVouchers(ctx, classID)
	if err != nil {
		return err
	}
	byWorker := map[string]Voucher{}
	for _, v := range vs {
		if v.State == StateUsed || v.State == StateSettled {
			byWorker[v.WorkerID] = v
		}
	}
	now := s.now()
	for _, l := range lines {
		v, ok := byWorker[l.WorkerID]
		if !ok || v.State == StateSettled {
			continue
		}
		if err := Move(v.State, StateSettled); err != nil {
			return err
		}
		v.State, v.LineID, v.SettledAt, v.UpdatedAt = StateSettled, l.LineID, now, now
		if err := s.Store.SaveVoucher(ctx, v); err != nil {
			return err
		}
	}
	return nil
}

// CancelLine cancels, in the dispute's transaction, the voucher behind a subsidy line whose
// dispute was upheld: the line's worker's voucher bound to the line's class, used or settled.
// A line with no voucher is left alone; a cancelled voucher stays cancelled.
func (s *Service) CancelLine(ctx context.Context, lineID string) error {
	v, err := s.Store.LineVoucher(ctx, lineID)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return nil
	case err != nil:
		return err
	case v.State == StateCancelled:
		return nil
	}
	if err := Move(v.State, StateCancelled); err != nil {
		return err
	}
	now := s.now()
	v.State, v.UpdatedAt = StateCancelled, now
	return s.Store.SaveVoucher(ctx, v)
}
