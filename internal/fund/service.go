package fund

import (
	"context"
	"strconv"
	"strings"
	"time"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// Store keeps the budgets and the funds ledger. Its writes join the transaction that WithTx
// puts in the context.
type Store interface {
	// WithTx runs fn in one transaction carried by ctx (a nested call joins the outer one).
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
	// LockBudget reads the source's budget for the year, locking its row until the
	// transaction ends; a budget never set is zero (and its row is created).
	LockBudget(ctx context.Context, source string, year int) (Budget, error)
	// SaveBudget stores a budget's amount and what was paid from it.
	SaveBudget(ctx context.Context, b Budget, at time.Time) error
	// Append chains e after the ledger's head (locked until the transaction ends) and stores
	// it; it returns the stored entry with its Seq and hashes.
	Append(ctx context.Context, e Entry) (Entry, error)
	// Budgets returns the budgets of the year (only those set).
	Budgets(ctx context.Context, year int) ([]Budget, error)
	// Entries returns up to limit entries of the source and year ("" and 0 = any), newest
	// first, before the seq when it is not 0.
	Entries(ctx context.Context, source string, year int, beforeSeq int64, limit int) ([]Entry, error)
	// AllEntries returns the whole ledger in Seq order.
	AllEntries(ctx context.Context) ([]Entry, error)
	// Disbursed sums the disbursement entries made from ≤ created_at < to, per source.
	Disbursed(ctx context.Context, from, to time.Time) ([]Disbursed, error)
}

// Disbursed is what one source paid in a period: how many disbursements, how much.
type Disbursed struct {
	Source        string
	Disbursements int64
	AmountCents   Cents
}

// Service is the bureau's fund use cases.
type Service struct {
	Store    Store
	Now      func() time.Time
	Location *time.Location // the bureau's time zone, in which a period's dates are read
}

// DisbursedIn returns what each source paid on the dates from to to (inclusive, in the
// bureau's time zone), every source listed in the canonical order.
func (s *Service) DisbursedIn(ctx context.Context, from, to time.Time) ([]Disbursed, error) {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	got, err := s.Store.Disbursed(ctx, start.UTC(), end.UTC())
	if err != nil {
		return nil, err
	}
	out := make([]Disbursed, len(sourceList))
	for i, src := range sourceList {
		out[i] = Disbursed{Source: src}
		for _, d := range got {
			if d.Source == src {
				out[i] = d
			}
		}
	}
	return out, nil
}

// BudgetInput is the JSON request of PUT /admin/funds/{source}/budgets/{year}.
type BudgetInput struct {
	AmountCents *int64 `json:"amount_cents"`
}

// SetBudget sets a source's budget for a year; the change is a ledger entry (none when the
// amount is unchanged). A budget below what was paid from it already is 409 budget_exceeded.
func (s *Service) SetBudget(ctx context.Context, source, rawYear string, in BudgetInput) (Budget, error) {
	year, err := ParseYear(rawYear)
	if err != nil {
		return Budget{}, err
	}
	if err := checkSource(source); err != nil {
		return Budget{}, err
	}
	if in.AmountCents == nil || *in.AmountCents < 0 {
		return Budget{}, errs.Invalid(CodeInvalidAmount, "amount_cents must be 0 or more").
			WithFields(errs.Field("amount_cents", CodeInvalidAmount, "an integer of 0 or more"))
	}
	now := s.Now().UTC()
	var out Budget
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		b, err := s.Store.LockBudget(ctx, source, year)
		if err != nil {
			return err
		}
		amount := Cents(*in.AmountCents)
		if amount < b.DisbursedCents {
			return errs.Conflict(CodeBudgetExceeded, "the budget cannot be set below what was paid from it already")
		}
		change := amount - b.BudgetCents
		b.BudgetCents = amount
		out = b
		if change == 0 {
			return nil
		}
		if _, err := s.Store.Append(ctx, Entry{Source: source, Year: year, Kind: KindBudget, Amount: change, CreatedAt: now}); err != nil {
			return err
		}
		return s.Store.SaveBudget(ctx, b, now)
	})
	return out, err
}

// Figures returns every source's budget, payments and balance for the year (zero where no
// budget was set), in the canonical source order.
func (s *Service) Figures(ctx context.Context, rawYear string) ([]Budget, error) {
	year, err := ParseYear(rawYear)
	if err != nil {
		return nil, err
	}
	set, err := s.Store.Budgets(ctx, year)
	if err != nil {
		return nil, err
	}
	out := make([]Budget, len(sourceList))
	for i, src := range sourceList {
		out[i] = Budget{Source: src, Year: year}
		for _, b := range set {
			if b.Source == src {
				out[i] = b
			}
		}
	}
	return out, nil
}

// Entries returns one page of ledger entries of the source and year (optional), newest
// first; beforeSeq is the page's position (0 = the newest).
func (s *Service) Entries(ctx context.Context, source, rawYear string, p page.Request, beforeSeq int64) (page.Result[Entry], error) {
	year := 0
	if strings.TrimSpace(rawYear) != "" {
		y, err := ParseYear(rawYear)
		if err != nil {
			return page.Result[Entry]{}, err
		}
		year = y
	}
	if source != "" {
		if err := checkSource(source); err != nil {
			return page.Result[Entry]{}, err
		}
	}
	items, err := s.Store.Entries(ctx, source, year, beforeSeq, p.Limit+1)
	if err != nil {
		return page.Result[Entry]{}, err
	}
	return page.Trim(items, p.Limit, func(e Entry) string { return strconv.FormatInt(e.Seq, 10) }), nil
}

// Check is the outcome of the chain check.
type Check struct {
	Entries     int
	Valid       bool
	FirstBadSeq int64 // 0 when valid
}

// Verify recomputes the whole ledger's chain.
func (s *Service) Verify(ctx context.Context) (Check, error) {
	all, err := s.Store.AllEntries(ctx)
	if err != nil {
		return Check{}, err
	}
	bad, ok := Verify(all)
	return Check{Entries: len(all), Valid: ok, FirstBadSeq: bad}, nil
}

// ParseYear reads a calendar year 2000–2100.
func ParseYear(raw string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || y < 2000 || y > 2100 {
		return 0, errs.Invalid(CodeInvalidYear, "year must be a calendar year such as 2026").
			WithFields(errs.Field("year", CodeInvalidYear, "a year 2000–2100"))
	}
	return y, nil
}

func checkSource(s string) error {
	if IsSource(s) {
		return nil
	}
	return errs.Invalid(CodeInvalidSource, "fund source must be one of %s", strings.Join(Sources(), ", ")).
		WithFields(errs.Field("source", CodeInvalidSource, "employment_subsidy, unemployment_insurance or skills_upgrade_account"))
}
