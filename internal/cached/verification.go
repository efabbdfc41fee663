package cached

import (
	"context"
	"log/slog"
	"time"

	"skillrecord/internal/cache"
	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
)

// Verifications caches what verification needs of a certificate (certificate.Facts), keyed
// by the certificate number alone: the number is not personal data, and neither the name nor
// the SSN a verifier posts ever reaches a key. The facts carry the holder's name and its blind
// index, so every value is sealed with the data keyring (aad = the Redis key). Unknown numbers
// are cached too, as "absent", so that a flood of guesses costs Redis, not the database; an
// issue forgets the number's entry after its commit, as a revocation does, and the Loader's
// generation check keeps a load that raced with either from storing what it read before.
type Verifications struct {
	next   certificate.Lookups
	loader *cache.Loader[verification]
	log    *slog.Logger
}

var (
	_ certificate.Lookups           = (*Verifications)(nil)
	_ certificate.VerificationCache = (*Verifications)(nil)
)

// verification is the cached value: the facts, or the knowledge that there are none.
type verification struct {
	Found bool               `json:"f"`
	Facts *certificate.Facts `json:"c,omitempty"`
}

// NewVerifications wraps next (the store); values live ttl, sealed by sealer.
func NewVerifications(c *cache.Cache, next certificate.Lookups, ttl time.Duration, sealer cache.Sealer, log *slog.Logger) *Verifications {
	return &Verifications{
		next:   next,
		loader: cache.NewLoader[verification](c, "certverify", ttl, cache.WithSealer(sealer), cache.WithCodec[verification](verificationCodec{})),
		log:    log,
	}
}

// Facts answers from the cache (one Redis round trip), or the database on a miss or a Redis
// outage. no must be canonical (certificate.ParseNo).
func (v *Verifications) Facts(ctx context.Context, no string) (certificate.Facts, error) {
	got, err := v.loader.Get(ctx, no, func(ctx context.Context) (verification, error) {
		f, err := v.next.Facts(ctx, no)
		switch {
		case errs.KindOf(err) == errs.KindNotFound:
			return verification{}, nil
		case err != nil:
			return verification{}, err
		}
		return verification{Found: true, Facts: &f}, nil
	})
	if err != nil {
		return certificate.Facts{}, err
	}
	if !got.Found || got.Facts == nil {
		return certificate.Facts{}, errs.NotFound("not_found", "no such certificate")
	}
	return *got.Facts, nil
}

// Prefetch announces that the request will verify certificate number no, so the lookup rides
// along with the request's first cache read (the token checks).
func (v *Verifications) Prefetch(ctx context.Context, no string) context.Context {
	canonical, err := certificate.ParseNo(no)
	if err != nil {
		return ctx
	}
	return v.loader.Prefetch(ctx, canonical)
}

// Forget drops the cached facts of nos after a change has committed, so that the next
// verification reads the database. A failure is logged; the cache replays it before it is read
// again (package cache), so a revocation is never answered from a stale entry.
func (v *Verifications) Forget(ctx context.Context, nos ...string) {
	if len(nos) == 0 {
		return
	}
	if err := v.loader.Invalidate(context.WithoutCancel(ctx), nos...); err != nil {
		v.log.WarnContext(ctx, "could not invalidate cached certificate verifications; replayed before the cache is read again",
			"certificates", len(nos), "error", err.Error())
	}
}
