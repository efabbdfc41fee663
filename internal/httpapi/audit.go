package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/audit"
	"skillrecord/internal/auth"
)

// auditTimeout bounds the write of one audit event; it runs after the answer, detached from
// the client's cancellation.
const auditTimeout = 5 * time.Second

// AuditTrail is the middleware that appends the audit event of every write and every admin
// action. Install it first on the /api/v1 group, before bodyLimit and authorize, so that
// refused requests (401, 403, 413, 422, …) are recorded too:
//
//	v1 := r.Group("/api/v1", AuditTrail(d.Log, d.Audit, d.Now), bodyLimit(d.Log, d.Limits), authorize(d.Log, d.Auth))
//
// It puts an audit.Collector into the request context (handlers and services announce the
// workers they touched with audit.Touch) and prepares the request's event in it, then lets
// the request run. The audited requests are: every request with a method other than GET, HEAD
// and OPTIONS except the read-only POSTs (readOnlyRoutes), and every request by an admin or to
// an /api/v1/admin/ route, whatever its method or outcome. The event holds the actor
// (principal id and role, or anonymous), the action word of the route, the route's path
// parameters (never a token, and never anything shaped like an SSN), the touched worker ids,
// the request id, the client IP, the status and the problem code. It never holds a body, a
// query string, a header or a name.
//
// A write's event is committed by the write's own transaction (sqlstore's WithTx appends the
// prepared event just before the commit, see audit.PendingIn), with the status of the
// operation's success (committedStatus: 201 for a creation, else the contract's 2xx) and no
// code; a failed insert of the event rolls the write back and the request fails. After the
// request the middleware records what no transaction did: refused and failed requests (a
// rolled-back write included), reads, and writes with no transaction. It records nothing for a
// request whose event was committed and whose answer is a success, and a second event, with
// the failure, for one that failed after its event was committed (an import whose later chunk
// failed). A failure to record after the request is logged (without the event's content
// beyond ids) and does not change the answer, which has been sent already. With events nil
// the middleware does nothing.
func AuditTrail(log *slog.Logger, events audit.Appender, now func() time.Time) gin.HandlerFunc {
	if events == nil {
		return func(c *gin.Context) { c.Next() }
	}
	if now == nil {
		now = time.Now
	}
	t := &auditTrail{log: log, events: events, now: now}
	return t.handle
}

type auditTrail struct {
	log    *slog.Logger
	events audit.Appender
	now    func() time.Time
}

func (t *auditTrail) handle(c *gin.Context) {
	rid := requestIDOf(c)
	if rid == "" {
		if h := c.GetHeader(requestIDHeader); safeRequestID(h) {
			rid = h // installed ahead of requestID(): it will adopt the same id
		}
	}
	ctx, col, nested := audit.NewContext(c.Request.Context(), rid)
	if !nested {
		c.Request = c.Request.WithContext(ctx)
	}
	col.Prepare(func() (audit.Event, bool) {
		return t.event(c, committedStatus(c.Request.Method, c.FullPath()), "")
	})
	c.Writer = &problemWriter{ResponseWriter: c.Writer}
	answered := false
	defer func() {
		if !answered { // a panic on its way to recovery, which answers 500
			t.record(c, col, http.StatusInternalServerError, "internal")
		}
	}()
	c.Next()
	answered = true
	t.record(c, col, c.Writer.Status(), problemCode(c.Writer))
}

// readOnlyRoutes are POSTs that read: they are audited only when an admin calls them (the
// reads of a worker's data they make are access events).
var readOnlyRoutes = map[string]bool{
	"POST /api/v1/verify/certificates": true,
	"POST /api/v1/verify/credential":   true,
}

// audited reports whether a request is a write or an admin action.
func audited(method, route, role string) bool {
	if role == string(auth.RoleAdmin) || strings.HasPrefix(route, "/api/v1/admin/") {
		return true
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return !readOnlyRoutes[method+" "+route]
}

// event builds the request's event with status and code, the workers left out; false when
// the request is not audited (or matched no route of the group).
func (t *auditTrail) event(c *gin.Context, status int, code string) (audit.Event, bool) {
	route := c.FullPath()
	if route == "" {
		return audit.Event{}, false // unmatched: not a route of the group
	}
	actorID, role, orgID := actorOf(c)
	if !audited(c.Request.Method, route, role) {
		return audit.Event{}, false
	}
	rid := requestIDOf(c)
	if rid == "" {
		rid = audit.RequestID(c.Request.Context())
	}
	if status < 400 {
		code = ""
	}
	return audit.Event{
		At: t.now().UTC(), ActorID: clip(actorID, audit.MaxActorID), ActorRole: clip(role, audit.MaxRole),
		OrgID: clip(orgID, audit.MaxOrgID), Action: actionOf(c.Request.Method, route), Target: targetOf(c.Params),
		RequestID: clip(rid, audit.MaxRequestID), ClientIP: clip(c.ClientIP(), audit.MaxClientIP),
		Status: status, Code: clip(code, audit.MaxCode),
	}, true
}

// record appends the request's event after the request, unless its transaction committed
// it and the answer is a success.
func (t *auditTrail) record(c *gin.Context, col *audit.Collector, status int, code string) {
	col.Prepare(nil) // c is recycled after the request: no later transaction may build from it
	e, ok := t.event(c, status, code)
	if !ok {
		return
	}
	if id, committed := col.Committed(); committed {
		if late := col.Late(); len(late) > 0 {
			t.log.ErrorContext(c.Request.Context(), "workers touched after the audit event was committed are not in it",
				"request_id", e.RequestID, "action", e.Action, "event_id", id, "workers", len(late))
		}
		if status < 400 {
			return
		}
	}
	if !col.Claim() {
		return
	}
	e.WorkerIDs = col.Workers()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), auditTimeout)
	defer cancel()
	if _, err := t.events.Append(ctx, e); err != nil {
		t.log.ErrorContext(ctx, "audit event not recorded", "request_id", e.RequestID, "action", e.Action,
			"status", e.Status, "error", err.Error())
	}
}

// actorOf is the caller: the authenticated principal, or the one authorize refused (its
// role and id only), or anonymous.
func actorOf(c *gin.Context) (id, role, orgID string) {
	if p, ok := auth.PrincipalFrom(c.Request.Context()); ok && p.ID != "" {
		return p.ID, string(p.Role), p.OrgID
	}
	if role, id, ok := strings.Cut(c.GetString(principalLogKey), ":"); ok && id != "" && role != "" {
		return id, role, ""
	}
	return audit.ActorAnonymous, audit.ActorAnonymous, ""
}

// secretParams are path parameters that are credentials: never recorded.
var secretParams = map[string]bool{"token": true}

// maxParamValue bounds one recorded path parameter.
const maxParamValue = 64

// targetOf renders the route's path parameters as "name=value" pairs, leaving out secrets and
// replacing a value that could be an SSN (a run of 15 or more digits) or holds anything but
// printable ASCII.
func targetOf(params gin.Params) string {
	var b strings.Builder
	for _, p := range params {
		if secretParams[p.Key] {
			continue
		}
		v := p.Value
		if !printableASCII(v) || longDigitRun(v, 15) {
			v = "[redacted]"
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p.Key + "=" + clip(v, maxParamValue))
	}
	return clip(b.String(), audit.MaxTarget)
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// longDigitRun reports whether s holds n or more consecutive ASCII digits.
func longDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// clip cuts s to at most n bytes (the values it is used on are ASCII ids and codes).
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// maxProblemCapture bounds how much of a problem+json answer is kept to read its code.
const maxProblemCapture = 4096

// problemWriter keeps the start of a problem+json answer so that the middleware can record
// its code. Other answers pass through untouched.
type problemWriter struct {
	gin.ResponseWriter
	body []byte
}

func (w *problemWriter) keep(b []byte) {
	if len(w.body) < maxProblemCapture {
		n := min(len(b), maxProblemCapture-len(w.body))
		w.body = append(w.body, b[:n]...)
	}
}

func (w *problemWriter) isProblem() bool {
	return strings.HasPrefix(w.Header().Get("Content-Type"), ProblemContentType)
}

// Write implements io.Writer.
func (w *problemWriter) Write(b []byte) (int, error) {
	if w.isProblem() {
		w.keep(b)
	}
	return w.ResponseWriter.Write(b)
}

// WriteString implements io.StringWriter.
func (w *problemWriter) WriteString(s string) (int, error) {
	if w.isProblem() {
		w.keep([]byte(s))
	}
	return w.ResponseWriter.WriteString(s)
}

// Unwrap returns the wrapped writer (for http.ResponseController).
func (w *problemWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *problemWriter) problemBody() []byte { return w.body }

// problemCode returns the answer's problem code: from the problem capture among w and the
// writers it wraps, or, for a refusal that is not problem+json (a refused spreadsheet comes
// back as a workbook, sheets.go), from its X-Problem-Code header; "" when there is none.
func problemCode(w http.ResponseWriter) string {
	if code := problemBodyCode(w); code != "" {
		return code
	}
	return w.Header().Get("X-Problem-Code")
}

// problemBodyCode finds the problem capture among w and the writers it wraps and returns the
// code it holds, or "".
func problemBodyCode(w http.ResponseWriter) string {
	for w != nil {
		if pc, ok := w.(interface{ problemBody() []byte }); ok {
			if body := pc.problemBody(); len(body) > 0 {
				var p struct {
					Code string `json:"code"`
				}
				if json.Unmarshal(body, &p) == nil {
					return p.Code
				}
			}
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return ""
		}
		w = u.Unwrap()
	}
	return ""
}
