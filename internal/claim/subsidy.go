package claim

import (
	"context"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/page"
)

// Statuses of a subsidy line as its worker sees it.
const (
	LineIneligible   = "ineligible"    // the subsidy is not due (see the claim's reasons)
	LineHeld         = "held"          // an upheld dispute holds the line
	LineReversalOwed = "reversal_owed" // paid, then found undue: the payment is owed back
)

// Subsidy is one claim line in a worker's name, as the worker sees it: so that a worker can
// tell if an institution claimed a subsidy for a course they never attended.
type Subsidy struct {
	LineID      string
	ClassID     string
	CourseName  string
	AmountCents Cents
	Eligible    bool
	Held        bool
	ClaimStatus string
	FundSource  string    // "" until paid
	DisbursedAt time.Time // zero until paid
	Reversed    bool      // a reversal is owed
	CreatedAt   time.Time
}

// Status is the line's status: ineligible, held, reversal_owed, or its claim's status
// (submitted, approved, rejected, disbursed).
func (s Subsidy) Status() string {
	switch {
	case s.Reversed:
		return LineReversalOwed
	case s.Held:
		return LineHeld
	case !s.Eligible && s.ClaimStatus != StatusRejected:
		return LineIneligible
	case !s.DisbursedAt.IsZero():
		return StatusDisbursed
	}
	return s.ClaimStatus
}

// DisbursedOn is the date of payment in loc, or nil.
func (s Subsidy) DisbursedOn(loc *time.Location) *civil.Date {
	if s.DisbursedAt.IsZero() {
		return nil
	}
	d := civil.DateOf(s.DisbursedAt.In(loc))
	return &d
}

// Subsidies returns one page of the claim lines in the worker's name, newest first.
func (s *Service) Subsidies(ctx context.Context, workerID string, p page.Request) (page.Result[Subsidy], error) {
	after, err := position(p)
	if err != nil {
		return page.Result[Subsidy]{}, err
	}
	items, err := s.Store.WorkerSubsidies(ctx, workerID, after, p.Limit+1)
	if err != nil {
		return page.Result[Subsidy]{}, err
	}
	return page.Trim(items, p.Limit, func(x Subsidy) string { return key(x.CreatedAt, x.LineID) }), nil
}

// BureauLocation is the bureau's time zone, in which dates are shown.
func (s *Service) BureauLocation() *time.Location { return s.location() }
