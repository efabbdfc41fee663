package httpapi

import (
	"context"
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/errs"
)

// Authenticator turns a bearer token into the principal it was issued to. It refuses tokens
// that are expired, revoked (logout), badly signed, or whose organisation is no longer active.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (auth.Principal, error)
}

// authorize applies the access table to every /api/v1 route: public routes pass; the others
// need a valid bearer token whose role the table lists (401 without one, 403 with the wrong
// role). The principal is put in the request context for the handlers.
func authorize(log *slog.Logger, authn Authenticator, prefetch map[string]prefetchFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		route := c.Request.Method + " " + c.FullPath()
		if _, listed := access[route]; !listed {
			respondError(c, log, errs.Forbidden("forbidden", "this route is not open to anyone"))
			return
		}
		if ok, isPublic := allowed(route, ""); ok && isPublic {
			c.Next()
			return
		}
		token, found := bearer(c.GetHeader("Authorization"))
		if !found {
			c.Header("WWW-Authenticate", `Bearer realm="skillrecord"`)
			respondError(c, log, errs.Unauthenticated("unauthenticated", "a bearer access token is required"))
			return
		}
		if authn == nil {
			respondError(c, log, errs.Unavailable("unavailable", "authentication is not configured"))
			return
		}
		var pf func(context.Context, auth.Principal) context.Context
		if f := prefetch[route]; f != nil {
			pf = func(ctx context.Context, p auth.Principal) context.Context { return f(ctx, p, c.Request) }
		}
		ctx, p, err := authenticate(c.Request.Context(), authn, token, pf)
		if err != nil {
			if errs.KindOf(err) == errs.KindUnauthenticated {
				c.Header("WWW-Authenticate", `Bearer realm="skillrecord", error="invalid_token"`)
			}
			respondError(c, log, err)
			return
		}
		c.Set(principalLogKey, string(p.Role)+":"+p.ID)
		if ok, _ := allowed(route, p.Role); !ok {
			respondError(c, log, errs.Forbidden("forbidden", "your role may not call this route"))
			return
		}
		c.Request = c.Request.WithContext(auth.WithPrincipal(ctx, p))
		c.Next()
	}
}

// PrefetchingAuthenticator can announce the request's next cache read before its own, so
// that both travel in one round trip.
type PrefetchingAuthenticator interface {
	AuthenticatePrefetching(ctx context.Context, token string,
		prefetch func(context.Context, auth.Principal) context.Context) (context.Context, auth.Principal, error)
}

func authenticate(ctx context.Context, authn Authenticator, token string,
	prefetch func(context.Context, auth.Principal) context.Context) (context.Context, auth.Principal, error) {
	if pa, ok := authn.(PrefetchingAuthenticator); ok && prefetch != nil {
		return pa.AuthenticatePrefetching(ctx, token, prefetch)
	}
	p, err := authn.Authenticate(ctx, token)
	return ctx, p, err
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// principalOf returns the caller; routes behind authorize always have one.
func principalOf(c *gin.Context) auth.Principal {
	p, _ := auth.PrincipalFrom(c.Request.Context())
	return p
}
