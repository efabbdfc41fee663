package httpapi

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/civil"
	"skillrecord/internal/identity"
	"skillrecord/internal/page"
	"skillrecord/internal/record"
	"skillrecord/internal/share"
)

// ShareService is the consent-share use cases (package share's Service): the worker creates,
// lists and revokes shares; employers and colleges read through them.
type ShareService interface {
	Create(ctx context.Context, workerID string, in share.Input) (share.Created, error)
	List(ctx context.Context, workerID string, p page.Request) (page.Result[share.Share], error)
	Revoke(ctx context.Context, workerID, id string) error
	Read(ctx context.Context, r share.Reader, token string) (share.View, error)
}

type createShareRequest struct {
	Scope          string   `json:"scope"`
	ExpiresInHours *float64 `json:"expires_in_hours"`
	AudienceOrgID  string   `json:"audience_org_id"`
}

// input converts the request; a lifetime that is not a whole number of hours becomes one the
// rules refuse (422 invalid_lifetime), like any other out-of-range lifetime.
func (r createShareRequest) input() share.Input {
	in := share.Input{Scope: r.Scope, AudienceOrgID: r.AudienceOrgID}
	if r.ExpiresInHours != nil {
		h := *r.ExpiresInHours
		n := -1
		if h == math.Trunc(h) && h >= share.MinLifetimeHours && h <= share.MaxLifetimeHours {
			n = int(h)
		}
		in.ExpiresInHours = &n
	}
	return in
}

// createdShareJSON is the answer to a new share: the only time the token and link are shown.
type createdShareJSON struct {
	ID        string    `json:"id"`
	Token     string    `json:"token"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// shareJSON is a share in the worker's list: never the token.
type shareJSON struct {
	ID            string     `json:"id"`
	Scope         string     `json:"scope"`
	AudienceOrgID string     `json:"audience_org_id,omitempty"`
	Status        string     `json:"status"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

func toShareJSON(s share.Share, now time.Time) shareJSON {
	return shareJSON{ID: s.ID, Scope: s.Scope, AudienceOrgID: s.AudienceOrgID, Status: s.StatusAt(now),
		ExpiresAt: s.ExpiresAt, RevokedAt: s.RevokedAt, CreatedAt: s.CreatedAt}
}

// createShare serves POST /me/shares: 201 with the token, shown once.
func createShare(log *slog.Logger, svc ShareService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createShareRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		created, err := svc.Create(c.Request.Context(), principalOf(c).ID, req.input())
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, createdShareJSON{ID: created.ID, Token: created.Token, URL: created.URL, ExpiresAt: created.ExpiresAt})
	}
}

// listShares serves GET /me/shares: the worker's shares, newest first, with their status now.
func listShares(log *slog.Logger, svc ShareService, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.List(c.Request.Context(), principalOf(c).ID, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		at := now()
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, func(s share.Share) shareJSON { return toShareJSON(s, at) }))
	}
}

// revokeShare serves DELETE /me/shares/{id}: 204; another worker's share or an unknown id 404.
func revokeShare(log *slog.Logger, svc ShareService) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := svc.Revoke(c.Request.Context(), principalOf(c).ID, c.Param("id")); err != nil {
			respondError(c, log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

// sharedRecordJSON is the record scope's view: the /me/record shape (name in full, SSN and card
// numbers masked) with the share's scope and end.
type sharedRecordJSON struct {
	Scope     string    `json:"scope"`
	ExpiresAt time.Time `json:"expires_at"`
	recordJSON
}

// sharedCertificatesJSON is the certificates scope's view: who, and their certificates only.
type sharedCertificatesJSON struct {
	Scope     string    `json:"scope"`
	ExpiresAt time.Time `json:"expires_at"`
	Worker    struct {
		Name      string `json:"name"`
		SSNMasked string `json:"ssn_masked"`
	} `json:"worker"`
	Certificates []record.Certificate `json:"certificates"`
}

// toSharedJSON converts a view read through a share; the SSN is masked here, the name is not
// (the worker consented to show it).
func toSharedJSON(v share.View, now time.Time) any {
	day := civil.DateOf(now.In(chinaTime))
	if v.Summary != nil {
		return sharedRecordJSON{Scope: v.Share.Scope, ExpiresAt: v.Share.ExpiresAt, recordJSON: toRecordJSON(*v.Summary, day.String())}
	}
	out := sharedCertificatesJSON{Scope: v.Share.Scope, ExpiresAt: v.Share.ExpiresAt, Certificates: make([]record.Certificate, 0, len(v.Certificates))}
	out.Worker.Name, out.Worker.SSNMasked = v.Name, identity.MaskSSN(v.SSN)
	for _, r := range v.Certificates {
		rc := record.Certificate{
			No: r.No, Type: r.Type, OccupationCode: r.OccupationCode, OccupationName: r.OccupationName, Level: r.Level,
			IssuedOn: r.IssuedOn.String(), Status: r.StatusOn(day), IssuerOrgID: r.IssuerOrgID,
		}
		if r.ValidUntil != nil {
			rc.ValidUntil = r.ValidUntil.String()
		}
		out.Certificates = append(out.Certificates, rc)
	}
	return out
}

// readShared serves GET /shared/{token} to employers and colleges: the shared view, or the
// same 404 for a token that is unknown, expired, revoked or bound to another organisation.
// The token is never logged: the access log has the route template only.
func readShared(log *slog.Logger, svc ShareService, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principalOf(c)
		v, err := svc.Read(c.Request.Context(), share.Reader{ID: p.ID, Role: string(p.Role), OrgID: p.OrgID, RequestID: requestIDOf(c)}, c.Param("token"))
		if err != nil {
			respondError(c, log, missed(c, err)) // a miss spends the caller's quota (quota.go)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, toSharedJSON(v, now()))
	}
}
