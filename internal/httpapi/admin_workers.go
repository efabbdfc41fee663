package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/audit"
	"skillrecord/internal/identity"
	"skillrecord/internal/record"
)

// AdminWorkerAccess is the bureau's audited access to one worker by SSN (package audit's
// AdminAccess): each call leaves an access event and touches the worker for the audit event.
type AdminWorkerAccess interface {
	Record(ctx context.Context, ssn, reason string) (record.Summary, error)
	VerifyLedger(ctx context.Context, ssn string) (audit.LedgerCheck, error)
}

type adminRecordRequest struct {
	SSN    string `json:"ssn"`
	Reason string `json:"reason"`
}

type adminLedgerRequest struct {
	SSN string `json:"ssn"`
}

type adminWorkerJSON struct {
	Name      string     `json:"name"`
	SSN       string     `json:"ssn"`
	SSNMasked string     `json:"ssn_masked"`
	Cards     []cardJSON `json:"cards"`
}

// adminRecordJSON is /me/record's shape for the bureau, plus the worker's opaque id (to find
// the worker's audit events) and the SSN in full: the admin has just typed it, so showing it
// back discloses nothing and confirms whose record this is. Card numbers stay masked.
type adminRecordJSON struct {
	recordJSON
	WorkerID string          `json:"worker_id"`
	Worker   adminWorkerJSON `json:"worker"` // shadows recordJSON's worker
}

func toAdminRecordJSON(s record.Summary, today string) adminRecordJSON {
	r := toRecordJSON(s, today)
	return adminRecordJSON{
		recordJSON: r,
		WorkerID:   s.WorkerID,
		Worker:     adminWorkerJSON{Name: r.Worker.Name, SSN: s.SSN, SSNMasked: identity.MaskSSN(s.SSN), Cards: r.Worker.Cards},
	}
}

type ledgerCheckJSON struct {
	WorkerID    string `json:"worker_id"`
	Entries     int    `json:"entries"`
	Valid       bool   `json:"valid"`
	FirstBadSeq *int64 `json:"first_bad_seq"`
}

// adminWorkerRecord serves POST /admin/workers/record {ssn, reason}: the worker's full record
// for the bureau, after recording the read in the worker's access log. The reason is stored
// (sealed) in the access event and never logged.
func adminWorkerRecord(log *slog.Logger, svc AdminWorkerAccess, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req adminRecordRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		s, err := svc.Record(c.Request.Context(), req.SSN, req.Reason)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, toAdminRecordJSON(s, now().In(chinaTime).Format(time.DateOnly)))
	}
}

// adminLedgerVerify serves POST /admin/workers/ledger/verify {ssn}: {worker_id, entries,
// valid, first_bad_seq} from recomputing the worker's hash chain; the check is recorded in the
// worker's access log.
func adminLedgerVerify(log *slog.Logger, svc AdminWorkerAccess) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req adminLedgerRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		r, err := svc.VerifyLedger(c.Request.Context(), req.SSN)
		if err != nil {
			respondError(c, log, err)
			return
		}
		out := ledgerCheckJSON{WorkerID: r.WorkerID, Entries: r.Entries, Valid: r.Valid}
		if !r.Valid {
			out.FirstBadSeq = &r.FirstBadSeq
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
	}
}
