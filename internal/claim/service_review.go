package claim

import (
	"context"
	"strings"

	"skillrecord/internal/audit"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// Review is the bureau's decision on a submitted claim: approve (submitted → approved, the
// adjustments applied, a public notice published for NoticePeriod from now) or reject
// (submitted → rejected, a reason required). Any other status is 409 invalid_transition.
func (s *Service) Review(ctx context.Context, id string, in ReviewInput) (Claim, error) {
	var to string
	switch strings.TrimSpace(in.Decision) {
	case DecisionApprove:
		to = StatusApproved
	case DecisionReject:
		to = StatusRejected
	default:
		return Claim{}, errs.Invalid(CodeInvalidDecision, "decision must be approve or reject").
			WithFields(errs.Field("decision", CodeInvalidDecision, "approve or reject"))
	}
	reason, err := class.ParseReason(in.Reason, to == StatusRejected)
	if err != nil {
		return Claim{}, err
	}
	if to == StatusRejected && len(in.Adjustments) > 0 {
		return Claim{}, errs.Invalid(CodeInvalidAdjustment, "a rejection takes no adjustments").
			WithFields(errs.Field("adjustments", CodeInvalidAdjustment, "only an approval adjusts lines"))
	}
	if !validID(id) {
		return Claim{}, notFound()
	}
	now := s.now()
	var out Claim
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.lock(ctx, id)
		if err != nil {
			return err
		}
		if err := Move(c.Status, to); err != nil {
			return err
		}
		if err := adjust(&c, in.Adjustments); err != nil {
			return err
		}
		c.Status, c.ReviewReason, c.ReviewedAt, c.UpdatedAt = to, reason, now, now
		c.Notice = nil
		if to == StatusApproved {
			n := Notice{ID: s.newID(), ClaimID: c.ID, StartsAt: now, EndsAt: now.Add(s.NoticePeriod), CreatedAt: now}
			if err := s.Store.AddNotice(ctx, n); err != nil {
				return err
			}
			c.Notice = &n
		}
		audit.Touch(ctx, c.workerIDs()...)
		if err := s.Store.SaveClaim(ctx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Claim{}, err
	}
	s.changed(ctx, out.workerIDs()...)
	return out, nil
}

// Notices returns one page of the public notices, newest first.
func (s *Service) Notices(ctx context.Context, p page.Request) (page.Result[Notice], error) {
	after, err := position(p)
	if err != nil {
		return page.Result[Notice]{}, err
	}
	items, err := s.Store.Notices(ctx, after, p.Limit+1)
	if err != nil {
		return page.Result[Notice]{}, err
	}
	return page.Trim(items, p.Limit, func(n Notice) string { return key(n.CreatedAt, n.ID) }), nil
}

// Notice returns one public notice; a withdrawn or unknown one is 404.
func (s *Service) Notice(ctx context.Context, id string) (Notice, error) {
	if !validID(id) {
		return Notice{}, noticeNotFound()
	}
	n, err := s.Store.Notice(ctx, id)
	switch {
	case errs.KindOf(err) == errs.KindNotFound || err == nil && n.Withdrawn:
		return Notice{}, noticeNotFound()
	case err != nil:
		return Notice{}, err
	}
	return n, nil
}

// Object records an objection to a running notice; after its period (or once withdrawn) it
// is 409 notice_closed.
func (s *Service) Object(ctx context.Context, noticeID string, in ObjectionInput) (Objection, error) {
	in, err := parseObjection(in)
	if err != nil {
		return Objection{}, err
	}
	if !validID(noticeID) {
		return Objection{}, noticeNotFound()
	}
	now := s.now()
	var out Objection
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		n, err := s.Store.Notice(ctx, noticeID)
		switch {
		case errs.KindOf(err) == errs.KindNotFound:
			return noticeNotFound()
		case err != nil:
			return err
		case !n.Open(now):
			return errs.Conflict(CodeNoticeClosed, "the notice's period is over")
		}
		out = Objection{ID: s.newID(), NoticeID: n.ID, ClaimID: n.ClaimID, Text: in.Text, Contact: in.Contact,
			Status: ObjectionOpen, CreatedAt: now}
		return s.Store.AddObjection(ctx, out)
	})
	return out, err
}

// Objections returns one page of objections of the status ("" = any), newest first.
func (s *Service) Objections(ctx context.Context, status string, p page.Request) (page.Result[Objection], error) {
	switch status {
	case "", ObjectionOpen, ObjectionUpheld, ObjectionDismissed:
	default:
		return page.Result[Objection]{}, errs.Invalid(CodeInvalidStatus, "status must be open, upheld or dismissed").
			WithFields(errs.Field("status", CodeInvalidStatus, "open, upheld or dismissed"))
	}
	after, err := position(p)
	if err != nil {
		return page.Result[Objection]{}, err
	}
	items, err := s.Store.Objections(ctx, status, after, p.Limit+1)
	if err != nil {
		return page.Result[Objection]{}, err
	}
	return page.Trim(items, p.Limit, func(o Objection) string { return key(o.CreatedAt, o.ID) }), nil
}

// Resolve decides an open objection: dismissed, or upheld, which sends its approved claim
// back to review (approved → submitted) and withdraws the notice. A resolved objection is
// 409 invalid_transition.
func (s *Service) Resolve(ctx context.Context, id string, in ResolveInput) (Objection, error) {
	if in.Upheld == nil {
		return Objection{}, errs.Invalid(CodeRequired, "upheld is required").
			WithFields(errs.Field("upheld", CodeRequired, "true or false"))
	}
	reason, err := class.ParseReason(in.Reason, true)
	if err != nil {
		return Objection{}, err
	}
	if !validID(id) {
		return Objection{}, objectionNotFound()
	}
	now := s.now()
	var (
		out     Objection
		touched []string
	)
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.Store.LockObjection(ctx, id)
		switch {
		case errs.KindOf(err) == errs.KindNotFound:
			return objectionNotFound()
		case err != nil:
			return err
		case o.Status != ObjectionOpen:
			return errs.Conflict(CodeInvalidTransition, "the objection was resolved before")
		}
		o.Status, o.ResolveReason, o.ResolvedAt = ObjectionDismissed, reason, now
		if *in.Upheld {
			o.Status = ObjectionUpheld
			c, err := s.lock(ctx, o.ClaimID)
			if err != nil {
				return err
			}
			if c.Status == StatusApproved {
				if err := Move(c.Status, StatusSubmitted); err != nil {
					return err
				}
				if err := s.Store.WithdrawNotice(ctx, o.NoticeID); err != nil {
					return err
				}
				c.Status, c.UpdatedAt = StatusSubmitted, now
				touched = c.workerIDs()
				audit.Touch(ctx, touched...)
				if err := s.Store.SaveClaim(ctx, c); err != nil {
					return err
				}
			}
		}
		out = o
		return s.Store.SaveObjection(ctx, o)
	})
	if err != nil {
		return Objection{}, err
	}
	s.changed(ctx, touched...)
	return out, nil
}

// lock locks a claim; 404 when there is none.
func (s *Service) lock(ctx context.Context, id string) (Claim, error) {
	c, err := s.Store.LockClaim(ctx, id)
	if errs.KindOf(err) == errs.KindNotFound {
		return Claim{}, notFound()
	}
	return c, err
}

func (c Claim) workerIDs() []string {
	ids := make([]string, len(c.Lines))
	for i, l := range c.Lines {
		ids[i] = l.WorkerID
	}
	return ids
}

func noticeNotFound() error    { return errs.NotFound(CodeNotFound, "no such notice") }
func objectionNotFound() error { return errs.NotFound(CodeNotFound, "no such objection") }
