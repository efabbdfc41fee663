package share

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/access"
	"skillrecord/internal/audit"
	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
	"skillrecord/internal/org"
	"skillrecord/internal/page"
	"skillrecord/internal/record"
)

// Store keeps shares. Package sqlstore implements it.
type Store interface {
	// CreateShare stores a new share.
	CreateShare(ctx context.Context, s Share) error
	// CreateShareWithin stores a new share unless its worker already has maxActive active
	// shares (neither revoked nor expired at s.CreatedAt): then it returns QuotaExceeded. The
	// count and the insert are one transaction that concurrent creations for the same worker
	// wait for, so two of them cannot both pass the limit.
	CreateShareWithin(ctx context.Context, s Share, maxActive int) error
	// SharesForWorker returns up to p.Limit+1 of the worker's shares after the position
	// p.After (see Cursor), newest first.
	SharesForWorker(ctx context.Context, workerID string, p page.Request) ([]Share, error)
	// RevokeShare marks the worker's share id revoked at at, unless it already is. It returns
	// errs NotFound when the worker has no share with that id.
	RevokeShare(ctx context.Context, workerID, id string, at time.Time) error
	// ShareByTokenHash returns the share whose token hashes to hash; errs NotFound if none.
	ShareByTokenHash(ctx context.Context, hash []byte) (Share, error)
}

// Orgs looks up the organisation a share is bound to.
type Orgs interface {
	GetOrg(ctx context.Context, id string) (org.Org, error)
}

// Records reads a worker's record summary (the cache, or the database).
type Records interface {
	Summary(ctx context.Context, workerID string) (record.Summary, error)
}

// Certificates lists a worker's certificates (package certificate's Service or its store).
type Certificates interface {
	AllForWorker(ctx context.Context, workerID string) ([]certificate.Record, error)
}

// Service holds the share use cases: a worker creates, lists and revokes shares; an employer
// or a college reads through one.
type Service struct {
	Store        Store
	Orgs         Orgs
	Records      Records
	Certificates Certificates
	// Access records every read through a share; nil records nothing (wire one).
	Access access.Recorder
	// BaseURL is the public base URL that share links start with (no trailing slash).
	BaseURL string
	Now     func() time.Time
	// Rand is the token randomness; nil means crypto/rand.
	Rand io.Reader
	// MaxActive is how many active shares a worker may have at once; 0 means no limit.
	MaxActive int
}

// Created is a new share with its token and link: the only time either is shown.
type Created struct {
	Share
	Token string
	URL   string
}

// SharedPath is the route a token is read through, below the public base URL.
const SharedPath = "/api/v1/shared/"

// now is the service's clock in UTC, to the microsecond the database keeps.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// Create makes a share for the worker: 422 with every bad field for a bad scope, a lifetime
// outside 1–720 hours, or an audience that is not an existing employer or college; 409
// share_quota_exceeded when the worker already has MaxActive active shares (revoked and
// expired ones do not count).
func (s *Service) Create(ctx context.Context, workerID string, in Input) (Created, error) {
	fields := in.Validate()
	audience := strings.TrimSpace(in.AudienceOrgID)
	if audience != "" {
		f, err := s.checkAudience(ctx, audience)
		if err != nil {
			return Created{}, err
		}
		fields = append(fields, f...)
	}
	if len(fields) > 0 {
		return Created{}, errs.Invalid(fields[0].Code, "the share request is not valid").WithFields(fields...)
	}
	r := s.Rand
	if r == nil {
		r = randReader
	}
	token, hash, err := NewToken(r)
	if err != nil {
		return Created{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Created{}, errs.Internal(err, "share id")
	}
	now := s.now()
	sh := Share{
		ID: id.String(), WorkerID: workerID, TokenHash: hash, Scope: strings.TrimSpace(in.Scope),
		AudienceOrgID: audience, ExpiresAt: now.Add(time.Duration(*in.ExpiresInHours) * time.Hour), CreatedAt: now,
	}
	audit.Touch(ctx, workerID)
	if s.MaxActive > 0 {
		err = s.Store.CreateShareWithin(ctx, sh, s.MaxActive)
	} else {
		err = s.Store.CreateShare(ctx, sh)
	}
	if err != nil {
		return Created{}, err
	}
	return Created{Share: sh, Token: token, URL: s.BaseURL + SharedPath + token}, nil
}

// checkAudience returns the field error of an audience that is not an employer or a college
// of the directory (a removed organisation can never read again, so it is refused too).
func (s *Service) checkAudience(ctx context.Context, id string) ([]errs.FieldError, error) {
	bad := []errs.FieldError{errs.Field("audience_org_id", CodeInvalidAudience, "must be the id of an employer or a college")}
	o, err := s.Orgs.GetOrg(ctx, id)
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return bad, nil
	case err != nil:
		return nil, err
	case o.Type != org.Employer && o.Type != org.College, o.Status == org.Removed:
		return bad, nil
	}
	return nil, nil
}

// List returns one page of the worker's shares, newest first.
func (s *Service) List(ctx context.Context, workerID string, p page.Request) (page.Result[Share], error) {
	if p.After != "" {
		if _, _, err := ParseCursor(p.After); err != nil {
			return page.Result[Share]{}, errBadCursor()
		}
	}
	items, err := s.Store.SharesForWorker(ctx, workerID, p)
	if err != nil {
		return page.Result[Share]{}, err
	}
	return page.Trim(items, p.Limit, Cursor), nil
}

// Revoke revokes one of the worker's shares; revoking a revoked share again does nothing. A
// share of another worker and an unknown id answer alike (404).
func (s *Service) Revoke(ctx context.Context, workerID, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return errNoSuchShare()
	}
	audit.Touch(ctx, workerID)
	err := s.Store.RevokeShare(ctx, workerID, id, s.now())
	if errs.KindOf(err) == errs.KindNotFound {
		return errNoSuchShare()
	}
	return err
}

func errNoSuchShare() error { return errs.NotFound("not_found", "you have no share with this id") }

// Reader is who reads through a share: an employer's or a college's client.
type Reader struct {
	ID        string // the principal id (client id)
	Role      string
	OrgID     string
	RequestID string
}

// View is what a reader gets through a share. Name and SSN are the worker's in full: the
// response converter masks the SSN and shows the name (the worker consented to it).
type View struct {
	Share        Share
	Name         string
	SSN          string
	Summary      *record.Summary      // record scope only
	Certificates []certificate.Record // certificates scope only
}

// errNoShare is the one answer for a token that is unknown, expired, revoked or bound to
// another organisation: the reader cannot tell them apart.
func errNoShare() error {
	return errs.NotFound("not_found", "no share with this token is open to you")
}

// Read answers a read through token by r: the view of the share's scope, after an access
// event (what = shared_record or shared_certificates, why = the share id) has been recorded.
// If the event cannot be recorded, the read is not answered.
func (s *Service) Read(ctx context.Context, r Reader, token string) (View, error) {
	if !WellFormed(token) {
		return View{}, errNoShare()
	}
	sh, err := s.Store.ShareByTokenHash(ctx, HashToken(token))
	switch {
	case errs.KindOf(err) == errs.KindNotFound:
		return View{}, errNoShare()
	case err != nil:
		return View{}, err
	case r.OrgID == "" || !sh.OpenTo(r.OrgID, s.Now()):
		return View{}, errNoShare()
	}
	audit.Touch(ctx, sh.WorkerID)
	sum, err := s.Records.Summary(ctx, sh.WorkerID)
	if err != nil {
		return View{}, err
	}
	v := View{Share: sh, Name: sum.Name, SSN: sum.SSN}
	what := access.WhatSharedRecord
	if sh.Scope == ScopeCertificates {
		what = access.WhatSharedCertificates
		if v.Certificates, err = s.Certificates.AllForWorker(ctx, sh.WorkerID); err != nil {
			return View{}, err
		}
	} else {
		v.Summary = &sum
	}
	if s.Access != nil {
		err := s.Access.RecordAccess(ctx, access.Event{
			WorkerID: sh.WorkerID, ActorID: r.ID, ActorRole: r.Role, OrgID: r.OrgID,
			What: what, Why: sh.ID, RequestID: r.RequestID, At: s.now(),
		})
		if err != nil {
			return View{}, err
		}
	}
	return v, nil
}
