package class

import (
	"context"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/identity"
)

// ChangeRoster adds and removes roster members of one of the institution's classes until its
// first session starts. Added lines are real-name checked (fields ssn and name, by index into
// add); a removed SSN must be on the roster (not_on_roster, field remove, by index); the
// roster must stay between one worker and the capacity. Errors: 404 for a class that is not
// the institution's; 409 invalid_transition unless the class is filed or approved; 409
// class_started once the first session has begun; 422 for bad lines.
func (s *Service) ChangeRoster(ctx context.Context, institutionID, id string, ch RosterChange) (Class, error) {
	now := s.now()
	if len(ch.Add) == 0 && len(ch.Remove) == 0 {
		return Class{}, errs.Invalid(CodeInvalidRosterChange, "name workers to add or to remove").
			WithFields(errs.Field("add", CodeRequired, "add or remove at least one worker"))
	}
	lines, fields := ParseLines(ch.Add, now.In(s.loc()))
	removes := make([]identity.SSN, len(ch.Remove))
	for i, raw := range ch.Remove {
		ssn, err := identity.ParseSSN(raw, now.In(s.loc()))
		if err != nil {
			fields = append(fields, errs.RowField(i, FieldRemove, identity.CodeInvalidSSN, "not a valid social security number"))
			continue
		}
		removes[i] = ssn
	}
	if len(fields) > 0 {
		return Class{}, invalid(fields, "roster change")
	}
	addIDs, realName, err := s.identify(ctx, lines, 0)
	if err != nil {
		return Class{}, err
	}
	known, err := s.Directory.Identify(ctx, removes)
	if err != nil {
		return Class{}, err
	}
	var out Class
	err = s.Store.WithTx(ctx, func(ctx context.Context) error {
		c, err := s.lockOwn(ctx, institutionID, id)
		if err != nil {
			return err
		}
		if err := s.beforeStart(c, now); err != nil {
			return err
		}
		fields := append([]errs.FieldError(nil), realName...)
		for i, wid := range addIDs {
			if wid != "" && c.OnRoster(wid) {
				fields = append(fields, errs.RowField(i, FieldSSN, CodeDuplicateInRoster, "the worker is on the roster already"))
			}
		}
		removeIDs := make([]string, 0, len(removes))
		for i, ssn := range removes {
			w, ok := known[ssn]
			if !ok || !c.OnRoster(w.WorkerID) {
				fields = append(fields, errs.RowField(i, FieldRemove, CodeNotOnRoster, "the worker is not on the roster"))
				continue
			}
			removeIDs = append(removeIDs, w.WorkerID)
		}
		size := len(c.Roster) + len(addIDs) - len(removeIDs)
		switch {
		case size > c.Capacity:
			fields = append(fields, errs.Field(FieldRoster, CodeOverCapacity, "the roster would exceed the capacity"))
		case size < 1:
			fields = append(fields, errs.Field(FieldRoster, CodeRequired, "the roster must keep at least one worker"))
		}
		if len(fields) > 0 {
			sortFields(fields)
			return invalid(fields, "roster change")
		}
		audit.Touch(ctx, addIDs...)
		audit.Touch(ctx, removeIDs...)
		if err := s.Store.ChangeRoster(ctx, c.ID, addIDs, removeIDs, now); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Class{}, err
	}
	s.changed(ctx, addIDs...)
	s.changed(ctx, out.MemberIDs()...) // the members removed among them
	out.UpdatedAt = now
	return s.withMembers(ctx, out)
}

// Cancel withdraws one of the institution's classes before its first session starts: filed or
// approved → cancelled (else 409 invalid_transition), 409 class_started once it has begun.
func (s *Service) Cancel(ctx context.Context, institutionID, id, rawReason string) (Class, error) {
	reason, err := ParseReason(rawReason, true)
	if err != nil {
		return Class{}, err
	}
	now := s.now()
	return s.update(ctx, func(ctx context.Context) (Class, error) {
		c, err := s.lockOwn(ctx, institutionID, id)
		if err != nil {
			return Class{}, err
		}
		if err := Move(c.Status, StatusCancelled); err != nil {
			return Class{}, err
		}
		if c.Started(now, s.loc()) {
			return Class{}, started()
		}
		c.Status, c.CancelReason, c.CancelledAt, c.UpdatedAt = StatusCancelled, reason, now, now
		return c, nil
	})
}

// Review is the bureau's decision on a filed class: approve (filed → approved) or reject
// (filed → rejected, a reason required). Any other status is 409 invalid_transition. An
// approval tells Approvals (directed training vouchers) in its own transaction.
func (s *Service) Review(ctx context.Context, id string, in ReviewInput) (Class, error) {
	var to string
	switch in.Decision {
	case DecisionApprove:
		to = StatusApproved
	case DecisionReject:
		to = StatusRejected
	default:
		return Class{}, errs.Invalid(CodeInvalidDecision, "decision must be approve or reject").
			WithFields(errs.Field(FieldDecision, CodeInvalidDecision, "approve or reject"))
	}
	reason, err := ParseReason(in.Reason, to == StatusRejected)
	if err != nil {
		return Class{}, err
	}
	now := s.now()
	return s.update(ctx, func(ctx context.Context) (Class, error) {
		c, err := s.lockOwn(ctx, "", id)
		if err != nil {
			return Class{}, err
		}
		if err := Move(c.Status, to); err != nil {
			return Class{}, err
		}
		c.Status, c.ReviewReason, c.ReviewedAt, c.UpdatedAt = to, reason, now, now
		if to == StatusApproved && s.Approvals != nil {
			if err := s.Approvals.Approved(ctx, c); err != nil {
				return Class{}, err
			}
		}
		return c, nil
	})
}

// update runs change in one transaction, stores the status it returns (touching the roster's
// workers, whose class views change) and answers the class with its members.
func (s *Service) update(ctx context.Context, change func(ctx context.Context) (Class, error)) (Class, error) {
	var out Class
	err := s.Store.WithTx(ctx, func(ctx context.Context) error {
		c, err := change(ctx)
		if err != nil {
			return err
		}
		audit.Touch(ctx, c.MemberIDs()...)
		if err := s.Store.SaveStatus(ctx, c); err != nil {
			return err
		}
		if c.Status == StatusApproved { // only a review approves
			if err := emitClass(ctx, event.KindClassApproved, c, c.UpdatedAt); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	if err != nil {
		return Class{}, err
	}
	s.changed(ctx, out.MemberIDs()...)
	return s.withMembers(ctx, out)
}

// lockOwn locks a class of the institution ("" = the bureau, any class); 404 otherwise.
func (s *Service) lockOwn(ctx context.Context, institutionID, id string) (Class, error) {
	if !validID(id) {
		return Class{}, notFound()
	}
	c, err := s.Store.LockClass(ctx, id)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return Class{}, notFound()
	case err != nil:
		return Class{}, err
	case institutionID != "" && c.InstitutionID != institutionID:
		return Class{}, notFound()
	}
	return c, nil
}

// beforeStart refuses a change to a class that is closed (409 invalid_transition) or whose
// first session has begun (409 class_started).
func (s *Service) beforeStart(c Class, now time.Time) error {
	if c.Status != StatusFiled && c.Status != StatusApproved {
		return errs.Conflict(CodeInvalidTransition, "the roster of a %s class cannot change", c.Status)
	}
	if c.Started(now, s.loc()) {
		return started()
	}
	return nil
}

func started() error {
	return errs.Conflict(CodeClassStarted, "the class's first session has begun")
}
