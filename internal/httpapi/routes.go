package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/api"
)

// routes lists every route of the service in one place. Each one must have a path in
// api/openapi.yaml (a test checks both directions).
func routes(r *gin.Engine, d Deps, metrics http.Handler) {
	// Operations.
	r.GET("/healthz", healthz())
	r.GET("/readyz", readyz(d.Log, d.DB, d.Cache))
	r.GET("/metrics", gin.WrapH(metrics))
	r.GET("/.well-known/jwks.json", getJWKS(d.JWKS))

	v1 := r.Group("/api/v1", bodyLimit(d.Log, d.Limits), authorize(d.Log, d.Auth))
	v1.GET("/openapi.yaml", func(c *gin.Context) {
		c.Data(http.StatusOK, "application/yaml", api.OpenAPI)
	})

	// Identity and authentication.
	v1.POST("/auth/token", postToken(d.Log, d.Tokens))
	v1.POST("/auth/logout", postLogout(d.Log, d.Tokens))

	// Cardholder registry and workers.
	v1.POST("/admin/cardholders/import", importCardholders(d.Log, d.Cardholders, d.Now))
	v1.POST("/workers/activate", activateWorker(d.Log, d.Workers, d.Throttling, d.Now))

	// Organisations.
	v1.POST("/admin/organizations", createOrg(d.Log, d.Orgs))
	v1.GET("/admin/organizations", listOrgs(d.Log, d.Orgs))
	v1.GET("/admin/organizations/:id", getOrg(d.Log, d.Orgs))
	v1.PATCH("/admin/organizations/:id", patchOrg(d.Log, d.Orgs))
	v1.POST("/admin/organizations/:id/clients", createClient(d.Log, d.Orgs, d.Clients))

	// Training records.

	// Certificates and verification.

	// Worker views and credit conversions.
	v1.GET("/me/record", getMyRecord(d.Log, d.Records, d.Now))
	v1.GET("/me/credits", listMyCredits(d.Log, d.Credits))
	v1.POST("/credit-conversions", postConversion(d.Log, d.Conversions))
}
