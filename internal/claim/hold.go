package claim

import (
	"context"

	"skillrecord/internal/audit"
	"skillrecord/internal/fund"
)

// Payment is how a line was paid: from which source, in which year, how much.
type Payment struct {
	Source      string
	Year        int
	AmountCents Cents
}

// Hold holds the subsidy lines of a training record (trainingID) and the line lineID (either
// may be ""), for an upheld dispute, inside the caller's transaction: a held line is never
// paid; a line paid already gets a reversal owed (a reversal_owed entry of the funds ledger,
// from the source and year it was paid from). A line held before is left alone.
func (s *Service) Hold(ctx context.Context, trainingID, lineID string) error {
	return s.Store.WithTx(ctx, func(ctx context.Context) error {
		lines, err := s.Store.LockLines(ctx, trainingID, lineID)
		if err != nil {
			return err
		}
		now := s.now()
		for _, l := range lines {
			if l.Held {
				continue
			}
			p, paid, err := s.Funds.Payment(ctx, l.ID)
			if err != nil {
				return err
			}
			if paid {
				if _, err := s.Funds.Append(ctx, fund.Entry{Source: p.Source, Year: p.Year, Kind: fund.KindReversalOwed,
					Amount: p.AmountCents, ClaimID: l.ClaimID, LineID: l.ID, CreatedAt: now}); err != nil {
					return err
				}
			}
			if err := s.Store.HoldLine(ctx, l.ID); err != nil {
				return err
			}
			audit.Touch(ctx, l.WorkerID)
		}
		return nil
	})
}
