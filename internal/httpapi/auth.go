package httpapi

import (
	"context"
	"log/slog"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

// TokenService is the token endpoint's use cases.
type TokenService interface {
	PasswordGrant(ctx context.Context, username, password, clientIP string) (auth.Grant, error)
	ClientCredentialsGrant(ctx context.Context, clientID, secret, clientIP string) (auth.Grant, error)
	RefreshGrant(ctx context.Context, refreshToken string) (auth.Grant, error)
	Logout(ctx context.Context, p auth.Principal) error
}

type tokenRequest struct {
	GrantType    string `json:"grant_type" form:"grant_type"`
	Username     string `json:"username" form:"username"`
	Password     string `json:"password" form:"password"`
	ClientID     string `json:"client_id" form:"client_id"`
	ClientSecret string `json:"client_secret" form:"client_secret"`
	RefreshToken string `json:"refresh_token" form:"refresh_token"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// postToken serves POST /auth/token for the password, client_credentials and refresh_token
// grants, as JSON or as an OAuth 2.0 form.
func postToken(log *slog.Logger, svc TokenService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req tokenRequest
		if err := bindTokenRequest(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		missing := func(fields ...string) error {
			var fe []errs.FieldError
			for _, f := range fields {
				fe = append(fe, errs.Field(f, "required", "required for this grant_type"))
			}
			return errs.Malformed("invalid_request", "the request is missing a required parameter").WithFields(fe...)
		}
		var (
			g   auth.Grant
			err error
		)
		ctx := c.Request.Context()
		switch req.GrantType {
		case "password":
			if req.Username == "" || req.Password == "" {
				err = missing("username", "password")
				break
			}
			g, err = svc.PasswordGrant(ctx, req.Username, req.Password, c.ClientIP())
		case "client_credentials":
			if req.ClientID == "" || req.ClientSecret == "" {
				err = missing("client_id", "client_secret")
				break
			}
			g, err = svc.ClientCredentialsGrant(ctx, req.ClientID, req.ClientSecret, c.ClientIP())
		case "refresh_token":
			if req.RefreshToken == "" {
				err = missing("refresh_token")
				break
			}
			g, err = svc.RefreshGrant(ctx, req.RefreshToken)
		case "":
			err = missing("grant_type")
		default:
			err = errs.Malformed("unsupported_grant_type", "grant_type must be password, client_credentials or refresh_token").
				WithFields(errs.Field("grant_type", "unsupported_grant_type", "password, client_credentials or refresh_token"))
		}
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Header("Pragma", "no-cache")
		c.JSON(http.StatusOK, tokenResponse{AccessToken: g.AccessToken, TokenType: "Bearer", ExpiresIn: g.ExpiresIn, RefreshToken: g.RefreshToken})
	}
}

func bindTokenRequest(c *gin.Context, req *tokenRequest) error {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return bindJSON(c, req)
	}
	if err := c.Request.ParseForm(); err != nil {
		return bodyError(err)
	}
	known := map[string]bool{"grant_type": true, "username": true, "password": true, "client_id": true, "client_secret": true, "refresh_token": true, "scope": true}
	for k := range c.Request.PostForm {
		if !known[k] {
			return errs.Malformed("unknown_field", "unknown field %q", k).WithFields(errs.Field(k, "unknown_field", "this field is not part of the request"))
		}
	}
	f := c.Request.PostForm
	*req = tokenRequest{GrantType: f.Get("grant_type"), Username: f.Get("username"), Password: f.Get("password"),
		ClientID: f.Get("client_id"), ClientSecret: f.Get("client_secret"), RefreshToken: f.Get("refresh_token")}
	return nil
}

// postLogout serves POST /auth/logout: the access token stops working at once and its refresh
// family is revoked.
func postLogout(log *slog.Logger, svc TokenService) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := svc.Logout(c.Request.Context(), principalOf(c)); err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.Status(http.StatusNoContent)
	}
}

// getJWKS serves the public signing keys.
func getJWKS(jwks func() any) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=300")
		if jwks == nil {
			c.JSON(http.StatusOK, gin.H{"keys": []any{}})
			return
		}
		c.JSON(http.StatusOK, jwks())
	}
}
