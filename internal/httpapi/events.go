package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/event"
	"skillrecord/internal/page"
)

// EventFeed is the pull feed of change events (package event's Feed).
type EventFeed interface {
	List(ctx context.Context, kinds []string, p page.Request) (event.Page, error)
}

// eventJSON is one change event, the same JSON the relay publishes to NATS.
type eventJSON struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	At        time.Time       `json:"at"`
	WorkerRef string          `json:"worker_ref,omitempty"`
	OrgID     string          `json:"org_id,omitempty"`
	SubjectID string          `json:"subject_id"`
	Data      json.RawMessage `json:"data"`
}

type eventPageJSON struct {
	Items      []eventJSON `json:"items"`
	NextCursor *string     `json:"next_cursor"`
}

// listEvents serves GET /admin/events?after=&kinds=&limit=: the change events after the cursor,
// in outbox order (the order of the NATS stream). next_cursor is the position after the last
// event given, null on an empty page: a consumer that has caught up asks again later with the
// last cursor it got.
func listEvents(log *slog.Logger, feed EventFeed) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, err := page.Parse(c.Query("limit"), c.Query("after"))
		if err != nil {
			if errs.CodeOf(err) == "invalid_cursor" {
				err = errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
					WithFields(errs.Field("after", "invalid_cursor", "use next_cursor from the previous page"))
			}
			respondError(c, log, err)
			return
		}
		kinds, err := event.ParseKinds(c.Query("kinds"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		res, err := feed.List(c.Request.Context(), kinds, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		out := eventPageJSON{Items: make([]eventJSON, len(res.Items))}
		for i, e := range res.Items {
			out.Items[i] = eventJSON{ID: e.ID, Kind: e.Kind, At: e.At, WorkerRef: e.WorkerRef, OrgID: e.OrgID, SubjectID: e.SubjectID, Data: e.Data}
		}
		if res.NextCursor != "" {
			out.NextCursor = &res.NextCursor
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
	}
}
