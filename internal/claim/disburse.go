package claim

import (
	"context"
	"strings"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
	"skillrecord/internal/fund"
	"skillrecord/internal/text"
)

// Payees of a disbursement.
const (
	PayeeInstitution = "institution" // the training institution (补贴资金拨付给培训机构)
	PayeeTrainees    = "trainees"    // each trainee's social-security-card financial account
)

// DisburseInput is the JSON request of POST /admin/claims/{id}/disburse.
type DisburseInput struct {
	FundSource string `json:"fund_source"`
	Payee      string `json:"payee"`
	Reference  string `json:"reference"`
}

// Disbursement is a claim paid from one fund source.
type Disbursement struct {
	ID          string
	Reference   string // the caller's idempotency reference (e.g. the treasury voucher number)
	ClaimID     string
	Source      string
	Year        int
	Payee       string
	AmountCents Cents
	EntrySeq    int64
	Lines       []PaidLine
	CreatedAt   time.Time
}

// PaidLine is one line a disbursement paid.
type PaidLine struct {
	LineID      string
	AmountCents Cents
}

// Settler settles the training vouchers behind paid lines (in the disbursement's
// transaction): each paid line's used voucher bound to the class becomes settled, once.
type Settler interface {
	Settle(ctx context.Context, classID string, lines []SettledLine) error
}

// SettledLine is a paid line and whose it is.
type SettledLine struct {
	LineID   string
	WorkerID string
}

// Funds is what a disbursement needs of the funds ledger: the budget row to lock and charge,
// the ledger to append to, and the disbursements made before.
type Funds interface {
	LockBudget(ctx context.Context, source string, year int) (fund.Budget, error)
	SaveBudget(ctx context.Context, b fund.Budget, at time.Time) error
	Append(ctx context.Context, e fund.Entry) (fund.Entry, error)
	// DisbursementByReference returns the disbursement made under the reference, with its
	// lines; errs.NotFound when there is none.
	DisbursementByReference(ctx context.Context, reference string) (Disbursement, error)
	// AddDisbursement stores a disbursement and its lines; a line paid before is errs.Conflict.
	AddDisbursement(ctx context.Context, d Disbursement) error
	// PaidLines returns which of the lines were paid before.
	PaidLines(ctx context.Context, lineIDs []string) ([]string, error)
	// Payment returns how the line was paid, and false when it was not.
	Payment(ctx context.Context, lineID string) (Payment, bool, error)
}

func parseDisburse(in DisburseInput) (DisburseInput, error) {
	var bad []errs.FieldError
	in.FundSource, in.Payee = strings.TrimSpace(in.FundSource), strings.TrimSpace(in.Payee)
	if !fund.IsSource(in.FundSource) {
		bad = append(bad, errs.Field("fund_source", fund.CodeInvalidSource, "employment_subsidy, unemployment_insurance or skills_upgrade_account"))
	}
	if in.Payee != PayeeInstitution && in.Payee != PayeeTrainees {
		bad = append(bad, errs.Field("payee", "invalid_payee", "institution or trainees"))
	}
	ref, ok := text.Clean(in.Reference, 64)
	if !ok || ref == "" {
		bad = append(bad, errs.Field("reference", "invalid_reference", "1 to 64 characters"))
	}
	in.Reference = ref
	if len(bad) > 0 {
		return in, errs.Invalid(bad[0].Code, "the disbursement is not valid").WithFields(bad...)
	}
	return in, nil
}

// Disburse pays an approved claim whose notice period is over with no open or upheld
// objection (else 409 notice_running / claim_held / invalid_transition; 409 nothing_payable
// when no eligible, unheld line is worth anything) from a fund source's
// budget for the current calendar year (409 budget_exceeded when it would overdraw it). The
// same reference again answers the first disbursement (Unchanged) and pays nothing; a claim or
// line paid before under another reference is 409 already_disbursed. The claim row and the
// budget row are locked, so of two concurrent disbursements exactly one pays.
func (s *Service) Disburse(ctx context.Context, id string, in DisburseInput) (Disbursement, Outcome, error) {
	in, err := parseDisburse(in)
	if err != nil {
		return Disbursement{}, "", err
	}
	if !validID(id) {
		return Disbursement{}, "", notFound()
	}
	now := s.now()
	var (
		out     Disbursement
		outcome Outcome
		touched []string
	)
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		outcome = Created
		c, err := s.lock(ctx, id)
		if err != nil {
			return err
		}
		prior, err := s.Funds.DisbursementByReference(ctx, in.Reference)
		switch {
		case err == nil && prior.ClaimID == c.ID && prior.Source == in.FundSource && prior.Payee == in.Payee:
			out, outcome = prior, Unchanged
			return nil
		case err == nil:
			return errs.Conflict("duplicate_conflict", "the reference was used for another disbursement")
		case errs.KindOf(err) != errs.KindNotFound:
			return err
		}
		if c.Status == StatusDisbursed {
			return errs.Conflict(fund.CodeAlreadyDisbursed, "the claim was paid before")
		}
		if err := Move(c.Status, StatusDisbursed); err != nil {
			return err
		}
		if c.Notice == nil || now.Before(c.Notice.EndsAt) {
			return errs.Conflict(CodeNoticeRunning, "the claim's public notice has not ended")
		}
		held, err := s.Store.Holding(ctx, c.Notice.ID)
		if err != nil {
			return err
		}
		if held > 0 {
			return errs.Conflict(CodeClaimHeld, "an open or upheld objection holds the claim")
		}
		d := Disbursement{ID: s.newID(), Reference: in.Reference, ClaimID: c.ID, Source: in.FundSource,
			Year: now.In(s.location()).Year(), Payee: in.Payee, CreatedAt: now}
		var (
			ids     []string
			settled []SettledLine
		)
		for _, l := range c.Lines {
			if l.Eligible && l.AmountCents > 0 && !l.Held {
				d.Lines = append(d.Lines, PaidLine{LineID: l.ID, AmountCents: l.AmountCents})
				d.AmountCents += l.AmountCents
				ids = append(ids, l.ID)
				settled = append(settled, SettledLine{LineID: l.ID, WorkerID: l.WorkerID})
			}
		}
		if d.AmountCents == 0 {
			// A claim whose lines were all lowered to nothing pays nothing: it is not marked
			// disbursed, and the funds ledger gets no empty entry.
			return errs.Conflict(CodeNothingPayable, "no line of the claim has anything to pay")
		}
		paid, err := s.Funds.PaidLines(ctx, ids)
		if err != nil {
			return err
		}
		if len(paid) > 0 {
			return errs.Conflict(fund.CodeAlreadyDisbursed, "a line of the claim was paid before")
		}
		b, err := s.Funds.LockBudget(ctx, d.Source, d.Year)
		if err != nil {
			return err
		}
		if !b.Covers(d.AmountCents) {
			return errs.Conflict(fund.CodeBudgetExceeded, "the disbursement would overdraw the %s budget of %d", d.Source, d.Year)
		}
		b.DisbursedCents += d.AmountCents
		e, err := s.Funds.Append(ctx, fund.Entry{Source: d.Source, Year: d.Year, Kind: fund.KindDisbursement,
			Amount: d.AmountCents, ClaimID: c.ID, Reference: d.Reference, Payee: d.Payee, CreatedAt: now})
		if err != nil {
			return err
		}
		d.EntrySeq = e.Seq
		if err := s.Funds.SaveBudget(ctx, b, now); err != nil {
			return err
		}
		if err := s.Funds.AddDisbursement(ctx, d); err != nil {
			return err
		}
		if s.Vouchers != nil {
			if err := s.Vouchers.Settle(ctx, c.ClassID, settled); err != nil {
				return err
			}
		}
		if err := emitDisbursed(ctx, c, d); err != nil {
			return err
		}
		c.Status, c.UpdatedAt = StatusDisbursed, now
		touched = c.workerIDs()
		audit.Touch(ctx, touched...)
		if err := s.Store.SaveClaim(ctx, c); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return Disbursement{}, "", err
	}
	s.changed(ctx, touched...)
	return out, outcome, nil
}
