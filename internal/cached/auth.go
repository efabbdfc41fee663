package cached

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"time"

	"skillrecord/internal/auth"
	"skillrecord/internal/cache"
	"skillrecord/internal/text"
)

// Revocations caches the access-token deny-list: tokens by jti, and ended sessions by their
// id. A revoked token's answer is cached like any other, and a logout invalidates its entries
// after writing the database rows, so a logout is seen on the next request and survives a
// Redis restart (the database is asked again). An invalidation that fails is replayed before
// the cache is read again (package cache).
type Revocations struct {
	next     auth.Revocations
	loader   *cache.Loader[bool]
	sessions *cache.Loader[bool]
	log      *slog.Logger
}

var _ auth.Revocations = (*Revocations)(nil)

// NewRevocations wraps next. Entries live as long as an access token can (ttl).
func NewRevocations(c *cache.Cache, next auth.Revocations, ttl time.Duration, log *slog.Logger) *Revocations {
	return &Revocations{
		next: next, loader: cache.NewLoader[bool](c, "tokrev", ttl, cache.WithCodec[bool](boolCodec{})),
		sessions: cache.NewLoader[bool](c, "sessrev", ttl, cache.WithCodec[bool](boolCodec{})), log: log,
	}
}

// Revoke writes the revocation, then forgets the cached answer.
func (r *Revocations) Revoke(ctx context.Context, jti string, expiresAt time.Time) error {
	if err := r.next.Revoke(ctx, jti, expiresAt); err != nil {
		return err
	}
	if err := r.loader.Invalidate(context.WithoutCancel(ctx), jti); err != nil {
		r.log.WarnContext(ctx, "could not invalidate a cached token state; replayed before the cache is read again", "error", err.Error())
	}
	return nil
}

// RevokeSession writes the session's end, then forgets its cached state.
func (r *Revocations) RevokeSession(ctx context.Context, sid string, until time.Time) error {
	if err := r.next.RevokeSession(ctx, sid, until); err != nil {
		return err
	}
	if err := r.sessions.Invalidate(context.WithoutCancel(ctx), sid); err != nil {
		r.log.WarnContext(ctx, "could not invalidate a cached session state; replayed before the cache is read again", "error", err.Error())
	}
	return nil
}

// Issued primes the deny-list with "not revoked" for a token just issued (jti) and its
// session (sid, if any), which the grant has just found not ended: the token's first request,
// on any instance, is then a cache hit instead of a miss, a database read and a store. An
// invalidation that raced ahead of it wins (see cache.Loader.Prime).
func (r *Revocations) Issued(ctx context.Context, jti, sid string) {
	r.loader.Prime(ctx, jti, false)
	if sid != "" {
		r.sessions.Prime(ctx, sid, false)
	}
}

// IsSessionRevoked answers from the cache, or the database on a miss or a Redis outage.
func (r *Revocations) IsSessionRevoked(ctx context.Context, sid string) (bool, error) {
	return r.sessions.Get(ctx, sid, func(ctx context.Context) (bool, error) { return r.next.IsSessionRevoked(ctx, sid) })
}

// PrefetchSession announces that sid's state will be read with the request's next cache read.
func (r *Revocations) PrefetchSession(ctx context.Context, sid string) context.Context {
	return r.sessions.Prefetch(ctx, sid)
}

// IsRevoked answers from the cache, or the database on a miss or a Redis outage.
func (r *Revocations) IsRevoked(ctx context.Context, jti string) (bool, error) {
	return r.loader.Get(ctx, jti, func(ctx context.Context) (bool, error) { return r.next.IsRevoked(ctx, jti) })
}

// boolCodec stores a deny-list answer as JSON's true or false, as the default codec did, but
// reads it without encoding/json: every authenticated request reads one or two, and a JSON
// decoder for one word cost more than the rest of the check.
type boolCodec struct{}

func (boolCodec) Encode(v bool) ([]byte, error) { return strconv.AppendBool(nil, v), nil }

func (boolCodec) Decode(b []byte) (bool, error) {
	switch string(b) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	var v bool
	err := json.Unmarshal(b, &v) // another spelling of JSON, or an error
	return v, err
}

// standingCodec stores an organisation's standing as the JSON the default codec wrote,
// {"type":…,"status":…}, and reads that form with a scan instead of encoding/json: every
// request of an organisation's client reads one (about 6 % of a cached verification's CPU
// went to decoding it). Another spelling of the same JSON goes to encoding/json.
type standingCodec struct{}

func (standingCodec) Encode(v auth.OrgStanding) ([]byte, error) {
	b := make([]byte, 0, 32+len(v.Type)+len(v.Status))
	b = append(b, `{"type":`...)
	b = text.AppendJSON(b, v.Type)
	b = append(b, `,"status":`...)
	b = text.AppendJSON(b, v.Status)
	return append(b, '}'), nil
}

func (standingCodec) Decode(b []byte) (auth.OrgStanding, error) {
	if rest, ok := bytes.CutPrefix(b, []byte(`{"type":"`)); ok {
		typ, rest, ok1 := bytes.Cut(rest, []byte(`","status":"`))
		status, ok2 := bytes.CutSuffix(rest, []byte(`"}`))
		if ok1 && ok2 && plainJSON(typ) && plainJSON(status) {
			return auth.OrgStanding{Type: string(typ), Status: string(status)}, nil
		}
	}
	var v auth.OrgStanding
	err := json.Unmarshal(b, &v)
	return v, err
}

// plainJSON reports whether b is the inside of a JSON string that needs no unescaping: ASCII
// letters, digits, '_' and '-' (the words a type or a status is made of).
func plainJSON(b []byte) bool {
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// OrgStatuses caches an organisation's type and status, read on every request of its clients.
type OrgStatuses struct {
	next   auth.OrgStatuses
	loader *cache.Loader[auth.OrgStanding]
	log    *slog.Logger
}

var _ auth.OrgStatuses = (*OrgStatuses)(nil)

// NewOrgStatuses wraps next.
func NewOrgStatuses(c *cache.Cache, next auth.OrgStatuses, ttl time.Duration, log *slog.Logger) *OrgStatuses {
	return &OrgStatuses{next: next, loader: cache.NewLoader[auth.OrgStanding](c, "orgstanding", ttl, cache.WithCodec[auth.OrgStanding](standingCodec{})), log: log}
}

// OrgStanding answers from the cache, or the database.
func (o *OrgStatuses) OrgStanding(ctx context.Context, orgID string) (auth.OrgStanding, error) {
	return o.loader.Get(ctx, orgID, func(ctx context.Context) (auth.OrgStanding, error) { return o.next.OrgStanding(ctx, orgID) })
}

// Prefetch announces that orgID's standing will be read with the request's next cache read.
func (o *OrgStatuses) Prefetch(ctx context.Context, orgID string) context.Context {
	return o.loader.Prefetch(ctx, orgID)
}

// ForgetOrgStatus drops the cached standing after a status change has committed.
func (o *OrgStatuses) ForgetOrgStatus(ctx context.Context, orgID string) error {
	if err := o.loader.Invalidate(context.WithoutCancel(ctx), orgID); err != nil {
		o.log.WarnContext(ctx, "could not invalidate a cached organisation status; replayed before the cache is read again", "error", err.Error())
	}
	return nil
}
