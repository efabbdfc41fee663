package org

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// StatusCache forgets an organisation's cached status, so that a suspension is seen on the
// very next request.
type StatusCache interface {
	ForgetOrgStatus(ctx context.Context, orgID string) error
}

// Service is the directory's use cases.
type Service struct {
	Store Store
	Cache StatusCache // may be nil
	Now   func() time.Time
}

// Create adds an organisation.
func (s *Service) Create(ctx context.Context, in CreateInput) (Org, error) {
	o, err := in.Validate(uuid.Must(uuid.NewV7()).String(), s.Now())
	if err != nil {
		return Org{}, err
	}
	if err := s.Store.CreateOrg(ctx, o); err != nil {
		if errs.KindOf(err) == errs.KindConflict {
			return Org{}, errs.Conflict("duplicate_conflict", "an organisation with this credit code already exists").
				WithFields(errs.Field("credit_code", "duplicate_conflict", "already registered")).WithCause(err)
		}
		return Org{}, err
	}
	return o, nil
}

// Get returns one organisation.
func (s *Service) Get(ctx context.Context, id string) (Org, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Org{}, errs.NotFound("not_found", "no such organisation")
	}
	o, err := s.Store.GetOrg(ctx, id)
	if errs.KindOf(err) == errs.KindNotFound {
		return Org{}, errs.NotFound("not_found", "no such organisation")
	}
	return o, err
}

// List returns one page of organisations matching f.
func (s *Service) List(ctx context.Context, f Filter, p page.Request) (page.Result[Org], error) {
	if f.Type != "" && !ValidType(string(f.Type)) {
		return page.Result[Org]{}, errs.Invalid("invalid_type", "unknown organisation type").
			WithFields(errs.Field("type", "invalid_type", "training_institution, evaluation_org, employer or college"))
	}
	if f.Status != "" && !ValidStatus(string(f.Status)) {
		return page.Result[Org]{}, errs.Invalid("invalid_status", "unknown status").
			WithFields(errs.Field("status", "invalid_status", "active, suspended or removed"))
	}
	items, err := s.Store.ListOrgs(ctx, f, p)
	if err != nil {
		return page.Result[Org]{}, err
	}
	return page.Trim(items, p.Limit, func(o Org) string { return o.ID }), nil
}

// Change is a PATCH of an organisation: a new status with its reason, and/or a new list of
// designations.
type Change struct {
	Status       *string
	Reason       *string
	Designations *[]DesignationInput
}

// Update applies a change. A status change needs a reason; a removed organisation stays
// removed.
func (s *Service) Update(ctx context.Context, id string, ch Change) (Org, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Org{}, err
	}
	var fields []errs.FieldError
	if ch.Status == nil && ch.Designations == nil {
		return Org{}, errs.Invalid("empty_change", "give a status with a reason, or designations").
			WithFields(errs.Field("status", "required", "the new status"))
	}
	if ch.Status != nil && !ValidStatus(*ch.Status) {
		fields = append(fields, errs.Field("status", "invalid_status", "active, suspended or removed"))
	}
	var reason string
	if ch.Reason != nil {
		reason = strings.TrimSpace(*ch.Reason)
	}
	if ch.Status != nil && (reason == "" || utf8.RuneCountInString(reason) > 500) {
		fields = append(fields, errs.Field("reason", "reason_required", "1 to 500 characters saying why"))
	}
	var desigs []Designation
	if ch.Designations != nil {
		var dfields []errs.FieldError
		desigs, dfields = ValidateDesignations(*ch.Designations, s.Now())
		fields = append(fields, dfields...)
	}
	if len(fields) > 0 {
		return Org{}, errs.Invalid(fields[0].Code, "the change is not valid").WithFields(fields...)
	}
	o, err := s.Store.UpdateOrg(ctx, id, func(o *Org) error {
		if ch.Status != nil {
			if o.Status == Removed && Status(*ch.Status) != Removed {
				return errs.Conflict("invalid_transition", "a removed organisation cannot be reinstated")
			}
			o.Status, o.StatusReason = Status(*ch.Status), reason
		}
		if ch.Designations != nil {
			o.Designations = desigs
		}
		o.UpdatedAt = s.Now().UTC()
		return nil
	})
	if err != nil {
		return Org{}, err
	}
	if s.Cache != nil {
		// The status is read through the cache on every request of the organisation's
		// clients; forgetting it here makes a suspension bite on the next request.
		if err := s.Cache.ForgetOrgStatus(ctx, id); err != nil {
			return o, errs.Internal(err, "forget cached organisation status")
		}
	}
	return o, nil
}
