package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	reads "skillrecord/internal/access"
	"skillrecord/internal/page"
)

// AccessLogReader reads a worker's access log and the names of the organisations in it
// (package sqlstore's AccessStore).
type AccessLogReader interface {
	AccessEvents(ctx context.Context, workerID string, beforeID int64, limit int) ([]reads.Event, error)
	OrgNames(ctx context.Context, ids []string) (map[string]string, error)
}

// accessEventJSON is one read of the worker's data as the worker sees it: who by role and
// organisation, what, why and when. The reader's own id (an admin's or a client's) is not
// shown: it identifies a member of staff, not the organisation accountable for the read.
type accessEventJSON struct {
	At        time.Time `json:"at"`
	ActorRole string    `json:"actor_role"`
	OrgID     string    `json:"org_id,omitempty"`
	OrgName   string    `json:"org_name,omitempty"`
	What      string    `json:"what"`
	Why       string    `json:"why,omitempty"`
}

// listMyAccessLog serves GET /me/access-log: who read the worker's data, newest first.
func listMyAccessLog(log *slog.Logger, store AccessLogReader) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, before, ok := parseIDPage(c, log)
		if !ok {
			return
		}
		ctx := c.Request.Context()
		items, err := store.AccessEvents(ctx, principalOf(c).ID, before, p.Limit+1)
		if err != nil {
			respondError(c, log, err)
			return
		}
		res := page.Trim(items, p.Limit, idKey(func(e reads.Event) int64 { return e.ID }))
		var orgIDs []string
		for _, e := range res.Items {
			if e.OrgID != "" {
				orgIDs = append(orgIDs, e.OrgID)
			}
		}
		slices.Sort(orgIDs)
		names, err := store.OrgNames(ctx, slices.Compact(orgIDs))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, func(e reads.Event) accessEventJSON {
			return accessEventJSON{At: e.At, ActorRole: e.ActorRole, OrgID: e.OrgID, OrgName: names[e.OrgID], What: e.What, Why: e.Why}
		}))
	}
}
