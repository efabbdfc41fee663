package certificate

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"skillrecord/internal/access"
	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

// errNoMatch is the one answer for an unknown number and for a known number with another
// holder's name: a verifier cannot tell them apart.
func errNoMatch() error {
	return errs.NotFound("not_found", "no certificate matches this number and holder name")
}

// Verify answers an employer's (college's, bureau's) question "is certificate no held by
// name?": the View as of today when the number exists and name is its holder's, else 404
// not_found — the same answer for an unknown number and for a wrong name. A missing number or
// name, or a number that cannot exist, is 422. The name is compared by its blind index in the
// registry's normal form, so that "张 三" finds "张三" exactly as the registry would.
//
// Facts come from Lookups (the cache: one Redis round trip when warm); the status is computed
// here from the facts and today, so a cached answer never goes stale at midnight.
func (s *Service) Verify(ctx context.Context, no, name string) (View, error) {
	var fields []errs.FieldError
	canonical, err := ParseNo(no)
	switch {
	case strings.TrimSpace(no) == "":
		fields = append(fields, errs.Field("certificate_no", CodeRequired, "certificate_no is required"))
	case err != nil:
		fields = append(fields, errs.Field("certificate_no", CodeInvalidNo, "certificate_no must be 6 to 32 characters of A-Z, 0-9 and '-'"))
	}
	if strings.TrimSpace(name) == "" {
		fields = append(fields, errs.Field("name", CodeRequired, "name is required"))
	}
	if len(fields) > 0 {
		return View{}, errs.Invalid(fields[0].Code, "the verification request is not valid").WithFields(fields...)
	}

	// The index is computed before the lookup whatever it finds, so that an unknown number and
	// a wrong name cost the same. A name the registry could never hold has no index.
	index := s.Directory.NameIndex(name)
	lookups := s.Lookups
	if lookups == nil {
		lookups = s.Store
	}
	f, err := lookups.Facts(ctx, canonical)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return View{}, errNoMatch()
	case err != nil:
		return View{}, err
	case len(index) == 0 || subtle.ConstantTimeCompare(index, f.NameIndex) != 1:
		return View{}, errNoMatch()
	}
	if err := s.recordAccess(ctx, f); err != nil {
		return View{}, err
	}
	return f.viewOn(s.today()), nil
}

// recordAccess appends the access event of a successful verification: the verifier (the
// principal in ctx) read the holder's certificate. A failure withholds the answer: the
// worker's right to know who read their data comes first.
func (s *Service) recordAccess(ctx context.Context, f Facts) error {
	if s.Access == nil {
		return nil
	}
	p, _ := auth.PrincipalFrom(ctx)
	return s.Access.RecordAccess(ctx, access.Event{
		WorkerID: f.WorkerID, ActorID: p.ID, ActorRole: string(p.Role), OrgID: p.OrgID,
		What: access.WhatCertificateVerification, Why: f.No, At: s.Now().UTC().Truncate(time.Microsecond),
	})
}
