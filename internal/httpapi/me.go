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

// RecordReader returns a worker's own record, rendered by RenderRecord (cached).
type RecordReader interface {
	View(ctx context.Context, workerID string) (record.View, error)
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
	Classes         []record.Class       `json:"classes"`
	Subsidies       []record.Subsidy     `json:"subsidies"`
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
	out.Classes = append([]record.Class{}, s.Classes...)
	out.Subsidies = append([]record.Subsidy{}, s.Subsidies...)
	out.UpdatedAt = s.UpdatedAt
	return out
}

// prefetchFunc announces, at authentication, a cache read the route's handler will make.
type prefetchFunc func(ctx context.Context, p auth.Principal, r *http.Request) context.Context

// prefetches are the reads announced at authentication, by route.
func prefetches(d Deps) map[string]prefetchFunc {
	m := map[string]prefetchFunc{}
	if d.RecordPrefetch != nil {
		m["GET /api/v1/me/record"] = func(ctx context.Context, p auth.Principal, _ *http.Request) context.Context {
			if p.Role != auth.RoleWorker {
				return ctx
			}
			return d.RecordPrefetch(ctx, p.ID)
		}
	}
	if d.VerifyPrefetch != nil {
		m["POST /api/v1/verify/certificates"] = func(ctx context.Context, _ auth.Principal, r *http.Request) context.Context {
			ctx, body := parseVerifyEarly(ctx, r) // the one parse of the body (verify_body.go)
			if body.err != nil || body.req.CertificateNo == "" {
				return ctx
			}
			return d.VerifyPrefetch(ctx, body.req.CertificateNo)
		}
	}
	return m
}

// chinaTime is the bureau's calendar: a certificate expires at the end of its last day there.
var chinaTime = time.FixedZone("CST", 8*3600)

// RenderRecord renders a worker's own record as of today (YYYY-MM-DD in the bureau's zone):
// the JSON body, its ETag, and the days it holds (until a valid certificate expires). The
// cache stores the result sealed, so that a hit is written out without decoding anything.
func RenderRecord(s record.Summary, today string) (record.View, error) {
	body, err := json.Marshal(toRecordJSON(s, today))
	if err != nil {
		return record.View{}, err
	}
	sum := sha256.Sum256(body)
	v := record.View{Body: body, ETag: `"` + hex.EncodeToString(sum[:16]) + `"`, From: today}
	for _, c := range s.Certificates {
		if c.Status == "valid" && c.ValidUntil >= today && (v.Until == "" || c.ValidUntil < v.Until) {
			v.Until = c.ValidUntil
		}
	}
	return v, nil
}

// getMyRecord serves GET /me/record with an ETag over the answer; If-None-Match → 304. The
// body comes rendered from the cache and is written as it is.
func getMyRecord(log *slog.Logger, records RecordReader) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, err := records.View(c.Request.Context(), principalOf(c).ID)
		if err != nil {
			respondError(c, log, err)
			return
		}
		h := c.Writer.Header()
		h["Etag"] = []string{v.ETag}
		h["Cache-Control"] = privateNoCache
		if match(c.Request.Header.Get("If-None-Match"), v.ETag) {
			c.Status(http.StatusNotModified)
			return
		}
		h["Content-Type"] = jsonContentType
		c.Status(http.StatusOK)
		_, _ = c.Writer.Write(v.Body)
	}
}

var (
	privateNoCache  = []string{"private, no-cache"}
	jsonContentType = []string{"application/json; charset=utf-8"}
)

// match reports whether an If-None-Match header names etag (weak comparison, RFC 9110).
func match(header, etag string) bool {
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
