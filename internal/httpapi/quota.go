package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"skillrecord/internal/audit"
	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

// Quotas limits lookups that miss. A certificate verification or a share-link open answered
// 404 is a guess until shown otherwise: each one counts against the caller's organisation (an
// admin, who has none, counts alone) and against its client address, across organisations.
// Past either limit the caller gets 429 rate_limited with Retry-After on that route until the
// window ends, whatever it asks for, so that a refusal tells nothing about the number or token
// asked. Answers that find something do not count, and a caller within its quota pays no round
// trip for the check (auth.Quota.Blocked answers from memory).
type Quotas struct {
	Counter auth.Quota
	// Audit receives one event (action quota.exceeded) when a caller first goes over a limit
	// in a window; nil records nothing.
	Audit  audit.Appender
	Verify QuotaLimits // POST /verify/certificates
	Shared QuotaLimits // GET /shared/{token}
	// Checkin is the wrong codes allowed to one worker at POST /me/checkins (checkin_limit.go);
	// 0 limits nothing.
	Checkin int
	Now     func() time.Time
}

// QuotaLimits are the misses allowed in one window to one organisation and to one address.
type QuotaLimits struct {
	PerOrg int
	PerIP  int
}

// Routes under a quota, as named in keys, metrics labels and audit events.
const (
	quotaVerify   = "verify"
	quotaShared   = "shared"
	quotaActivate = "activate"
)

// Scopes of a quota or throttle key, as named in metrics labels and audit events.
const (
	scopeOrg     = "org"
	scopeAddress = "address"
	scopeSSN     = "ssn"
)

// quotaExceededAction is the audit action of a caller's first excess in a window.
const quotaExceededAction = "quota.exceeded"

// quotaAuditTimeout bounds the write of a quota.exceeded event, detached from the client.
const quotaAuditTimeout = 5 * time.Second

// quotaMetrics count misses and refusals by route and scope; never a caller in a label.
type quotaMetrics struct {
	misses   *prometheus.CounterVec
	refused  *prometheus.CounterVec
	exceeded *prometheus.CounterVec
}

func newQuotaMetrics(reg prometheus.Registerer) *quotaMetrics {
	m := &quotaMetrics{
		misses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_quota_misses_total",
			Help: "Lookups that missed (404, or a wrong check-in code) and were counted against the caller's quotas, by route (verify, shared, checkin).",
		}, []string{"route"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_quota_refused_total",
			Help: "Requests answered 429 for a spent quota or throttle, by route (verify, shared, activate, checkin) and by each scope over its limit (org, address, ssn, worker).",
		}, []string{"route", "scope"}),
		exceeded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillrecord_quota_exceeded_total",
			Help: "Quotas gone over for the first time in their window (each one audited as quota.exceeded), by route and scope.",
		}, []string{"route", "scope"}),
	}
	if reg != nil {
		reg.MustRegister(m.misses, m.refused, m.exceeded)
	}
	return m
}

// quotaCall is one request's quota keys (organisation, address), stashed in the gin context
// for missed.
type quotaCall struct {
	q      *Quotas
	m      *quotaMetrics
	log    *slog.Logger
	route  string
	keys   [2]auth.ThrottleKey
	scopes [2]string
	spent  [2]bool // already counted for this request (by the check of a blocked caller)
	detail string  // the 429's detail; "" for the lookups' wording
}

const quotaCallKey = "skillrecord.quota"

// limitQuota is the middleware of a route whose misses are limited. A caller known to be at
// its limit is counted again and refused at once (429) unless the window turned out to be
// over; everyone else goes on to the handler, which reports a miss through missed.
func limitQuota(log *slog.Logger, q *Quotas, m *quotaMetrics, route string) gin.HandlerFunc {
	if q == nil || q.Counter == nil {
		return func(c *gin.Context) { c.Next() }
	}
	limits := q.Verify
	if route == quotaShared {
		limits = q.Shared
	}
	return func(c *gin.Context) {
		p := principalOf(c)
		who := p.OrgID
		if who == "" {
			who = string(p.Role) + "." + p.ID // an admin: no organisation
		}
		call := &quotaCall{q: q, m: m, log: log, route: route, scopes: [2]string{scopeOrg, scopeAddress},
			keys: [2]auth.ThrottleKey{
				{Key: route + ":org:" + who, Limit: limits.PerOrg},
				{Key: route + ":ip:" + c.ClientIP(), Limit: limits.PerIP},
			}}
		if blocked := q.Counter.Blocked(call.keys[:]...); blocked != nil {
			if err := call.spend(c, blocked); err != nil {
				respondError(c, log, err)
				return
			}
		}
		c.Set(quotaCallKey, call)
		c.Next()
	}
}

// missed counts err against the caller's quotas when it is a miss (404) on a route under
// limitQuota, and returns what to answer: err, or 429 rate_limited once the caller has gone
// over a limit. Other errors, and routes without a quota, pass through unchanged.
func missed(c *gin.Context, err error) error {
	if errs.KindOf(err) != errs.KindNotFound {
		return err
	}
	v, ok := c.Get(quotaCallKey)
	call, _ := v.(*quotaCall)
	if !ok || call == nil {
		return err
	}
	call.m.misses.WithLabelValues(call.route).Inc()
	var idx []int
	for i := range call.keys {
		if !call.spent[i] {
			idx = append(idx, i)
		}
	}
	if refused := call.spend(c, idx); refused != nil {
		return refused
	}
	return err
}

// spend counts one against the keys at idx and returns the 429 to answer when any of them is
// over its limit, after counting the refusal and auditing a first excess.
func (call *quotaCall) spend(c *gin.Context, idx []int) error {
	if len(idx) == 0 {
		return nil
	}
	keys := make([]auth.ThrottleKey, len(idx))
	for j, i := range idx {
		keys[j] = call.keys[i]
		call.spent[i] = true
	}
	v := call.q.Counter.Spend(c.Request.Context(), keys...)
	if v.Wait <= 0 {
		return nil
	}
	for _, j := range v.Over {
		call.m.refused.WithLabelValues(call.route, call.scopes[idx[j]]).Inc()
	}
	for _, j := range v.First {
		scope := call.scopes[idx[j]]
		call.m.exceeded.WithLabelValues(call.route, scope).Inc()
		call.audit(c, scope)
	}
	detail := call.detail
	if detail == "" {
		detail = "too many lookups found nothing; try again later"
	}
	return errs.RateLimited("rate_limited", v.Wait, "%s", detail)
}

// audit appends the quota.exceeded event of the caller's first excess in a window. The event
// names the route and the scope, never the number, name or token that was asked.
func (call *quotaCall) audit(c *gin.Context, scope string) {
	if call.q.Audit == nil {
		return
	}
	now := time.Now
	if call.q.Now != nil {
		now = call.q.Now
	}
	p := principalOf(c)
	// Every field is an id, a generated request id, an address or a fixed word: all within
	// their columns (audit.Event.Check is run by the store).
	e := audit.Event{
		At: now().UTC(), ActorID: p.ID, ActorRole: string(p.Role), OrgID: p.OrgID,
		Action: quotaExceededAction, Target: "route=" + call.route + " scope=" + scope,
		RequestID: requestIDOf(c), ClientIP: c.ClientIP(), Status: http.StatusTooManyRequests, Code: "rate_limited",
	}
	if e.ActorID == "" {
		e.ActorID, e.ActorRole = audit.ActorAnonymous, audit.ActorAnonymous
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), quotaAuditTimeout)
	defer cancel()
	if _, err := call.q.Audit.Append(ctx, e); err != nil {
		call.log.ErrorContext(ctx, "quota excess not audited", "request_id", e.RequestID, "route", call.route,
			"scope", scope, "error", err.Error())
	}
}
