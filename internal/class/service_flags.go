package class

import (
	"context"
	"time"

	"skillrecord/internal/access"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// Flags returns one page of supervision flags matching f, newest first. f's dates are days
// in the bureau's time zone: a flag at 23:30 local time on 1 March falls on 1 March.
func (s *Service) Flags(ctx context.Context, f FlagFilter, p page.Request) (page.Result[Flag], error) {
	if f.Kind != "" && !IsFlagKind(f.Kind) {
		return page.Result[Flag]{}, errs.Invalid("invalid_kind", "kind is not a supervision flag kind").
			WithFields(errs.Field("kind", "invalid_kind", "not a supervision flag kind"))
	}
	if f.ClassID != "" && !validID(f.ClassID) {
		return page.Result[Flag]{}, errs.Invalid("invalid_class_id", "class_id is not a class id").
			WithFields(errs.Field("class_id", "invalid_class_id", "not a class id"))
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return page.Result[Flag]{}, errs.Invalid(CodeInvalidDateRange, "to must not be before from").
			WithFields(errs.Field("to", CodeInvalidDateRange, "must not be before from"))
	}
	q := FlagQuery{ClassID: f.ClassID, Kind: f.Kind}
	if !f.From.IsZero() {
		q.From = time.Date(f.From.Y, f.From.M, f.From.D, 0, 0, 0, 0, s.loc()).UTC()
	}
	if !f.To.IsZero() {
		q.To = time.Date(f.To.Y, f.To.M, f.To.D+1, 0, 0, 0, 0, s.loc()).UTC()
	}
	after, err := position(p)
	if err != nil {
		return page.Result[Flag]{}, err
	}
	items, err := s.Store.Flags(ctx, q, after, p.Limit+1)
	if err != nil {
		return page.Result[Flag]{}, err
	}
	reads := map[string]string{}
	for _, f := range items[:min(len(items), p.Limit)] {
		if f.WorkerID != "" {
			reads[f.WorkerID] = f.ClassID
		}
	}
	if err := s.recordReads(ctx, access.WhatSupervisionFlag, reads); err != nil {
		return page.Result[Flag]{}, err
	}
	return page.Trim(items, p.Limit, func(f Flag) string { return key(f.At, f.ID) }), nil
}

// Raise stores a supervision flag (joining the transaction in ctx, if any). ID and CreatedAt
// are filled in when empty.
func (s *Service) Raise(ctx context.Context, f Flag) error {
	if f.ID == "" {
		f.ID = s.newID()
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = s.now()
	}
	return s.Store.AddFlag(ctx, f)
}
