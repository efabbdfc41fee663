package httpapi

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/class"
	"skillrecord/internal/identity"
)

// flagJSON is a supervision flag as the bureau sees it: the worker by masked SSN only.
type flagJSON struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	ClassID      string    `json:"class_id"`
	WorkerMasked *string   `json:"worker_masked"`
	At           time.Time `json:"at"`
	Detail       string    `json:"detail"`
}

func toFlagJSON(f class.Flag) flagJSON {
	out := flagJSON{ID: f.ID, Kind: f.Kind, ClassID: f.ClassID, At: f.At, Detail: f.Detail}
	if f.WorkerSSN != "" {
		m := identity.MaskSSN(string(f.WorkerSSN))
		out.WorkerMasked = &m
	}
	return out
}

// listSupervisionFlags serves GET /admin/supervision-flags?class_id=&kind=&from=&to=: the flags,
// newest first; from and to are dates in the bureau's time zone.
func listSupervisionFlags(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		from, to, err := dateRange(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.Flags(c.Request.Context(), class.FlagFilter{
			ClassID: strings.TrimSpace(c.Query("class_id")), Kind: c.Query("kind"), From: from, To: to,
		}, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toList(res, toFlagJSON))
	}
}
