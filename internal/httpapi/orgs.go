package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/org"
	"skillrecord/internal/page"
)

// OrgService is the directory's use cases.
type OrgService interface {
	Create(ctx context.Context, in org.CreateInput) (org.Org, error)
	Get(ctx context.Context, id string) (org.Org, error)
	List(ctx context.Context, f org.Filter, p page.Request) (page.Result[org.Org], error)
	Update(ctx context.Context, id string, ch org.Change) (org.Org, error)
}

// ClientIssuer issues API clients.
type ClientIssuer interface {
	CreateClient(ctx context.Context, orgID string) (clientID, secret string, err error)
}

type designationJSON struct {
	Kind      string `json:"kind"`
	GrantedOn string `json:"granted_on"`
}

type orgJSON struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Type         string            `json:"type"`
	CreditCode   string            `json:"credit_code"`
	RegionCode   string            `json:"region_code"`
	Status       string            `json:"status"`
	StatusReason string            `json:"status_reason,omitempty"`
	Designations []designationJSON `json:"designations"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

func toOrgJSON(o org.Org) orgJSON {
	out := orgJSON{ID: o.ID, Name: o.Name, Type: string(o.Type), CreditCode: o.CreditCode, RegionCode: o.RegionCode,
		Status: string(o.Status), StatusReason: o.StatusReason, Designations: []designationJSON{},
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	for _, d := range o.Designations {
		out.Designations = append(out.Designations, designationJSON{Kind: d.Kind, GrantedOn: d.GrantedOn.Format(time.DateOnly)})
	}
	return out
}

type createOrgRequest struct {
	Name         string            `json:"name"`
	Type         string            `json:"type"`
	CreditCode   string            `json:"credit_code"`
	RegionCode   string            `json:"region_code"`
	Designations []designationJSON `json:"designations"`
}

func designationInputs(ds []designationJSON) []org.DesignationInput {
	out := make([]org.DesignationInput, len(ds))
	for i, d := range ds {
		out[i] = org.DesignationInput{Kind: d.Kind, GrantedOn: d.GrantedOn}
	}
	return out
}

// listJSON is the shape of every paginated answer.
type listJSON[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func toList[S, T any](r page.Result[S], conv func(S) T) listJSON[T] {
	out := listJSON[T]{Items: make([]T, 0, len(r.Items))}
	for _, it := range r.Items {
		out.Items = append(out.Items, conv(it))
	}
	if r.NextCursor != "" {
		out.NextCursor = &r.NextCursor
	}
	return out
}

// parsePage reads ?limit= and ?cursor=, answering 422 itself when they are bad.
func parsePage(c *gin.Context, log *slog.Logger) (page.Request, bool) {
	p, err := page.Parse(c.Query("limit"), c.Query("cursor"))
	if err != nil {
		respondError(c, log, err)
		return page.Request{}, false
	}
	return p, true
}

// parseIDPage is parsePage for lists paged by a numeric position (a ledger seq, an event id):
// it also decodes the cursor into the position the next page starts before (0 = the newest).
func parseIDPage(c *gin.Context, log *slog.Logger) (page.Request, int64, bool) {
	p, ok := parsePage(c, log)
	if !ok {
		return p, 0, false
	}
	before, err := idCursor(p.After)
	if err != nil {
		respondError(c, log, err)
		return p, 0, false
	}
	return p, before, true
}

func unavailable(c *gin.Context, log *slog.Logger) {
	respondError(c, log, errs.Unavailable("unavailable", "this part of the service is not configured"))
}

func createOrg(log *slog.Logger, svc OrgService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createOrgRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		o, err := svc.Create(c.Request.Context(), org.CreateInput{Name: req.Name, Type: req.Type, CreditCode: req.CreditCode,
			RegionCode: req.RegionCode, Designations: designationInputs(req.Designations)})
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Location", "/api/v1/admin/organizations/"+o.ID)
		c.JSON(http.StatusCreated, toOrgJSON(o))
	}
}

func listOrgs(log *slog.Logger, svc OrgService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.List(c.Request.Context(), org.Filter{Type: org.Type(c.Query("type")), Status: org.Status(c.Query("status"))}, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toList(res, toOrgJSON))
	}
}

func getOrg(log *slog.Logger, svc OrgService) gin.HandlerFunc {
	return func(c *gin.Context) {
		o, err := svc.Get(c.Request.Context(), c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toOrgJSON(o))
	}
}

type patchOrgRequest struct {
	Status       *string            `json:"status"`
	Reason       *string            `json:"reason"`
	Designations *[]designationJSON `json:"designations"`
}

func patchOrg(log *slog.Logger, svc OrgService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req patchOrgRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		ch := org.Change{Status: req.Status, Reason: req.Reason}
		if req.Designations != nil {
			ds := designationInputs(*req.Designations)
			ch.Designations = &ds
		}
		o, err := svc.Update(c.Request.Context(), c.Param("id"), ch)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toOrgJSON(o))
	}
}

type clientJSON struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

func createClient(log *slog.Logger, orgs OrgService, clients ClientIssuer) gin.HandlerFunc {
	return func(c *gin.Context) {
		o, err := orgs.Get(c.Request.Context(), c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		if o.Status == org.Removed {
			respondError(c, log, errs.Conflict("organization_removed", "a removed organisation gets no credentials"))
			return
		}
		id, secret, err := clients.CreateClient(c.Request.Context(), o.ID)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, clientJSON{ClientID: id, ClientSecret: secret})
	}
}
