package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/audit"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// AuditLog appends and lists audit events (package sqlstore's AuditStore).
type AuditLog interface {
	audit.Store
}

// auditEventJSON is one audit event as the bureau reads it.
type auditEventJSON struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor_id"`
	ActorRole string    `json:"actor_role"`
	OrgID     string    `json:"org_id,omitempty"`
	Action    string    `json:"action"`
	Target    string    `json:"target,omitempty"`
	WorkerIDs []string  `json:"worker_ids"`
	RequestID string    `json:"request_id"`
	ClientIP  string    `json:"client_ip"`
	Status    int       `json:"status"`
	Code      string    `json:"code,omitempty"`
}

func toAuditEventJSON(e audit.Event) auditEventJSON {
	ws := e.WorkerIDs
	if ws == nil {
		ws = []string{}
	}
	return auditEventJSON{
		ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: e.ActorRole, OrgID: e.OrgID, Action: e.Action,
		Target: e.Target, WorkerIDs: ws, RequestID: e.RequestID, ClientIP: e.ClientIP, Status: e.Status, Code: e.Code,
	}
}

// idCursor reads a page cursor that holds an event id; "" is the first page.
func idCursor(after string) (int64, error) {
	if after == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(after, 10, 64)
	if err != nil || id < 1 {
		return 0, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
			WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
	}
	return id, nil
}

func idKey[T any](id func(T) int64) func(T) string {
	return func(v T) string { return strconv.FormatInt(id(v), 10) }
}

// listAuditEvents serves GET /admin/audit-events: the audit trail, newest first, filtered by
// actor, action, worker_id, from and to (RFC 3339 or YYYY-MM-DD, China time; both inclusive).
func listAuditEvents(log *slog.Logger, events AuditLog) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, before, ok := parseIDPage(c, log)
		if !ok {
			return
		}
		f, err := audit.ParseFilter(audit.Query{
			Actor: c.Query("actor"), Action: c.Query("action"), WorkerID: c.Query("worker_id"),
			From: c.Query("from"), To: c.Query("to"),
		})
		if err != nil {
			respondError(c, log, err)
			return
		}
		items, err := events.Events(c.Request.Context(), f, before, p.Limit+1)
		if err != nil {
			respondError(c, log, err)
			return
		}
		res := page.Trim(items, p.Limit, idKey(func(e audit.Event) int64 { return e.ID }))
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, toList(res, toAuditEventJSON))
	}
}
