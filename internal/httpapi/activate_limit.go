package httpapi

import (
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// activationLimit throttles failed activations (registry_mismatch) per client address and per
// SSN. The SSN's counter is keyed by its blind index (Throttling.SSNKey), so that guessing a
// cardholder's name and card from many addresses is stopped too, and no SSN reaches Redis or a
// metric. A nil *activationLimit limits nothing.
type activationLimit struct {
	t *Throttling
	m *quotaMetrics
}

func newActivationLimit(t *Throttling, m *quotaMetrics) *activationLimit {
	if t == nil || t.Throttle == nil {
		return nil
	}
	return &activationLimit{t: t, m: m}
}

// keys are the request's throttle keys: its address, and its SSN when the SSN is well formed
// (a malformed one is refused before the registry is asked, and costs nothing).
func (l *activationLimit) keys(c *gin.Context, ssn string, now time.Time) []auth.ThrottleKey {
	if l == nil {
		return nil
	}
	keys := []auth.ThrottleKey{{Key: "activate-ip:" + c.ClientIP(), Limit: l.t.PerIP}}
	if l.t.SSNKey != nil && l.t.PerSSN > 0 {
		if s, err := identity.ParseSSN(ssn, now); err == nil {
			keys = append(keys, auth.ThrottleKey{Key: "activate-ssn:" + l.t.SSNKey(string(s)), Limit: l.t.PerSSN})
		}
	}
	return keys
}

// check answers 429 too_many_attempts when any key has reached its limit, counting the refusal
// by the scope that refused it.
func (l *activationLimit) check(c *gin.Context, keys []auth.ThrottleKey) error {
	if l == nil {
		return nil
	}
	ctx := c.Request.Context()
	wait := l.t.Throttle.Check(ctx, keys...)
	if wait <= 0 {
		return nil
	}
	if l.m != nil {
		// A second look, on the refusal path only, tells which limit was reached.
		if l.t.Throttle.Check(ctx, keys[0]) > 0 {
			l.m.refused.WithLabelValues(quotaActivate, scopeAddress).Inc()
		}
		if len(keys) > 1 && l.t.Throttle.Check(ctx, keys[1]) > 0 {
			l.m.refused.WithLabelValues(quotaActivate, scopeSSN).Inc()
		}
	}
	return errs.RateLimited("too_many_attempts", wait, "too many failed activations; try again later")
}

// fail counts a failed activation against every key.
func (l *activationLimit) fail(c *gin.Context, keys []auth.ThrottleKey) {
	if l != nil {
		l.t.Throttle.Fail(c.Request.Context(), keys...)
	}
}
