package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
	"skillrecord/internal/org"
	"skillrecord/internal/page"
)

// StaffService manages organisations' staff accounts (package auth's StaffService).
type StaffService interface {
	Create(ctx context.Context, orgID, username, displayName string) (auth.NewStaff, error)
	SetPassword(ctx context.Context, token, password string) error
	List(ctx context.Context, orgID string, p page.Request) (page.Result[auth.StaffUser], error)
	SetStatus(ctx context.Context, orgID, id, status string) (auth.StaffUser, error)
}

// setPasswordPath is the page that spends a set-password link (for every organisation type). The token travels in the
// fragment, which browsers never send to a server, and the page drops it from the address bar.
const setPasswordPath = "/org/#token="

type staffJSON struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Status      string    `json:"status"`
	PasswordSet bool      `json:"password_set"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func toStaffJSON(u auth.StaffUser) staffJSON {
	return staffJSON{ID: u.ID, OrgID: u.OrgID, Username: u.Username, DisplayName: u.DisplayName, Status: u.Status,
		PasswordSet: u.PasswordHash != "", CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

type createStaffRequest struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

type newStaffJSON struct {
	ID               string    `json:"id"`
	Username         string    `json:"username"`
	SetPasswordToken string    `json:"set_password_token"`
	SetPasswordURL   string    `json:"set_password_url"`
	ExpiresAt        time.Time `json:"expires_at"`
}

// routeOrg answers the organisation of the route, or responds 404.
func routeOrg(c *gin.Context, log *slog.Logger, orgs OrgService) (org.Org, bool) {
	o, err := orgs.Get(c.Request.Context(), c.Param("id"))
	if err != nil {
		respondError(c, log, err)
		return org.Org{}, false
	}
	return o, true
}

func createStaff(log *slog.Logger, orgs OrgService, staff StaffService, publicURL string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createStaffRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		o, ok := routeOrg(c, log, orgs)
		if !ok {
			return
		}
		if o.Status == org.Removed {
			respondError(c, log, errs.Conflict("organization_removed", "a removed organisation gets no accounts"))
			return
		}
		n, err := staff.Create(c.Request.Context(), o.ID, req.Username, req.DisplayName)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusCreated, newStaffJSON{ID: n.User.ID, Username: n.User.Username, SetPasswordToken: n.Token,
			SetPasswordURL: publicURL + setPasswordPath + n.Token, ExpiresAt: n.ExpiresAt})
	}
}

func listStaff(log *slog.Logger, orgs OrgService, staff StaffService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		o, ok := routeOrg(c, log, orgs)
		if !ok {
			return
		}
		res, err := staff.List(c.Request.Context(), o.ID, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toList(res, toStaffJSON))
	}
}

type patchStaffRequest struct {
	Status string `json:"status"`
}

func patchStaff(log *slog.Logger, orgs OrgService, staff StaffService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req patchStaffRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		o, ok := routeOrg(c, log, orgs)
		if !ok {
			return
		}
		u, err := staff.SetStatus(c.Request.Context(), o.ID, c.Param("user_id"), req.Status)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toStaffJSON(u))
	}
}

type setPasswordRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

func setPassword(log *slog.Logger, staff StaffService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req setPasswordRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		if err := staff.SetPassword(c.Request.Context(), req.Token, req.Password); err != nil {
			respondError(c, log, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}
