package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/credit"
	"skillrecord/internal/identity"
	"skillrecord/internal/record"
)

// RecordReader returns a worker's record summary (cached).
type RecordReader interface {
	Summary(ctx context.Context, workerID string) (record.Summary, error)
}

type recordJSON struct {
	Worker struct {
		Name      string     `json:"name"`
		SSNMasked string     `json:"ssn_masked"`
		Cards     []cardJSON `json:"cards"`
	} `json:"worker"`
	Credits struct {
		Balance   credit.Tenths `json:"balance"`
		Earned    credit.Tenths `json:"earned"`
		Converted credit.Tenths `json:"converted"`
		Reversed  credit.Tenths `json:"reversed"`
	} `json:"credits"`
	Counts          record.Counts        `json:"counts"`
	RecentTrainings []record.Training    `json:"recent_trainings"`
	Certificates    []record.Certificate `json:"certificates"`
	UpdatedAt       time.Time            `json:"updated_at"`
}

type cardJSON struct {
	NumberMasked string `json:"number_masked"`
	IssueArea    string `json:"issue_area"`
	Status       string `json:"status"`
	IssuedOn     string `json:"issued_on,omitempty"`
}

// toRecordJSON is what the worker sees of their own record: their name in full, the SSN and
// card numbers masked, and each certificate's status as of today.
func toRecordJSON(s record.Summary, today string) recordJSON {
	var out recordJSON
	out.Worker.Name = s.Name
	out.Worker.SSNMasked = identity.MaskSSN(s.SSN)
	out.Worker.Cards = make([]cardJSON, 0, len(s.Cards))
	for _, c := range s.Cards {
		out.Worker.Cards = append(out.Worker.Cards, cardJSON{NumberMasked: identity.MaskCard(c.Number), IssueArea: c.IssueArea, Status: c.Status, IssuedOn: c.IssuedOn})
	}
	out.Credits.Balance, out.Credits.Earned = s.Account.Balance, s.Account.Earned
	out.Credits.Converted, out.Credits.Reversed = s.Account.Converted, s.Account.Reversed
	out.Counts = s.Counts
	out.RecentTrainings = s.RecentTrainings
	out.Certificates = make([]record.Certificate, len(s.Certificates))
	for i, c := range s.Certificates {
		if c.Status == "valid" && c.ValidUntil != "" && c.ValidUntil < today {
			c.Status = "expired"
		}
		out.Certificates[i] = c
	}
	out.UpdatedAt = s.UpdatedAt
	return out
}

// prefetches are the reads announced at authentication, by route.
func prefetches(d Deps) map[string]func(context.Context, auth.Principal) context.Context {
	m := map[string]func(context.Context, auth.Principal) context.Context{}
	if d.RecordPrefetch != nil {
		m["GET /api/v1/me/record"] = func(ctx context.Context, p auth.Principal) context.Context {
			if p.Role != auth.RoleWorker {
				return ctx
			}
			return d.RecordPrefetch(ctx, p.ID)
		}
	}
	return m
}

// chinaTime is the bureau's calendar: a certificate expires at the end of its last day there.
var chinaTime = time.FixedZone("CST", 8*3600)

// getMyRecord serves GET /me/record with an ETag over the answer; If-None-Match → 304.
func getMyRecord(log *slog.Logger, records RecordReader, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		if records == nil {
			unavailable(c, log)
			return
		}
		s, err := records.Summary(c.Request.Context(), principalOf(c).ID)
		if err != nil {
			respondError(c, log, err)
			return
		}
		body, err := json.Marshal(toRecordJSON(s, now().In(chinaTime).Format(time.DateOnly)))
		if err != nil {
			respondError(c, log, err)
			return
		}
		sum := sha256.Sum256(body)
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		c.Header("ETag", etag)
		c.Header("Cache-Control", "private, no-cache")
		if match(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
	}
}

// match reports whether an If-None-Match header names etag (weak comparison, RFC 9110).
func match(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
