package httpapi

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
)

// Route and scope of the check-in code quota, as named in keys, metrics labels and audit
// events.
const (
	quotaCheckin = "checkin"
	scopeWorker  = "worker"
)

// checkinGuesses limits a worker's wrong class codes at POST /me/checkins. A class's short
// code is six digits that change every step: a worker who may post codes without end could
// find the one of a class under way without sitting in it, so each code_invalid counts against
// the worker within the quota window, and past the limit every check-in of that worker answers
// 429 rate_limited with Retry-After until the window ends, whatever code it carries. The first
// refusal of a window is audited (quota.exceeded, route=checkin scope=worker). A worker within
// the limit pays no round trip for it (auth.Quota.Blocked answers from memory); good codes and
// the other refusals (not on the roster, outside the session, overlap) do not count. A nil
// *checkinGuesses limits nothing.
type checkinGuesses struct {
	call quotaCall // a copy per request, keys[0] set to the worker's key
}

func newCheckinGuesses(log *slog.Logger, q *Quotas, m *quotaMetrics) *checkinGuesses {
	if q == nil || q.Counter == nil || q.Checkin <= 0 {
		return nil
	}
	return &checkinGuesses{call: quotaCall{q: q, m: m, log: log, route: quotaCheckin, scopes: [2]string{scopeWorker},
		detail: "too many wrong check-in codes; try again later"}}
}

// before refuses a worker already over the limit (counting the attempt, since the window may
// have ended elsewhere) and returns the call that after uses, or nil when nothing is limited.
func (g *checkinGuesses) before(c *gin.Context, workerID string) (*quotaCall, error) {
	if g == nil {
		return nil, nil
	}
	call := g.call
	call.keys[0] = auth.ThrottleKey{Key: quotaCheckin + ":worker:" + workerID, Limit: call.q.Checkin}
	if blocked := call.q.Counter.Blocked(call.keys[0]); blocked != nil {
		if err := call.spend(c, []int{0}); err != nil {
			return nil, err
		}
	}
	return &call, nil
}

// after counts err against the worker when it is a wrong code and returns what to answer:
// err, or 429 rate_limited once the worker has gone over the limit.
func (g *checkinGuesses) after(c *gin.Context, call *quotaCall, err error) error {
	if call == nil || errs.CodeOf(err) != class.FlagCodeInvalid {
		return err
	}
	call.m.misses.WithLabelValues(quotaCheckin).Inc()
	if call.spent[0] {
		return err
	}
	if refused := call.spend(c, []int{0}); refused != nil {
		return refused
	}
	return err
}
