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

	v1 := r.Group("/api/v1", AuditTrail(d.Log, d.Audit, d.Now), bodyLimit(d.Log, d.Limits), authorize(d.Log, d.Auth, prefetches(d)))
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
	v1.POST("/trainings", postTraining(d.Log, d.Trainings))
	v1.POST("/trainings/batch", postTrainingBatch(d.Log, d.Trainings))
	v1.GET("/trainings", listTrainings(d.Log, d.Trainings))
	v1.POST("/trainings/:id/void", voidTraining(d.Log, d.Trainings))
	v1.GET("/me/trainings", listMyTrainings(d.Log, d.Trainings))

	// Certificates and verification.
	v1.POST("/certificates", issueCertificate(d.Log, d.Certificates, d.Now))
	v1.POST("/certificates/:no/revoke", revokeCertificate(d.Log, d.Certificates, d.Now))
	v1.GET("/me/certificates", listMyCertificates(d.Log, d.Certificates, d.Now))
	v1.POST("/verify/certificates", verifyCertificate(d.Log, d.Verifier))

	// Worker views and credit conversions.
	v1.GET("/me/record", getMyRecord(d.Log, d.Records, d.Now))
	v1.GET("/me/credits", listMyCredits(d.Log, d.Credits))
	v1.POST("/credit-conversions", postConversion(d.Log, d.Conversions))

	// Shares and credentials.
	v1.POST("/me/shares", createShare(d.Log, d.Shares))
	v1.GET("/me/shares", listShares(d.Log, d.Shares, d.Now))
	v1.DELETE("/me/shares/:id", revokeShare(d.Log, d.Shares))
	v1.GET("/shared/:token", readShared(d.Log, d.Shares, d.Now))
	v1.GET("/me/certificates/:no/credential", getCredential(d.Log, d.Credentials))
	v1.POST("/verify/credential", verifyCredential(d.Log, d.Credentials))

	// Indicators, inspections and institution statistics.
	v1.GET("/admin/indicators", getIndicators(d.Log, d.Indicators))
	v1.POST("/admin/inspections", createInspection(d.Log, d.Inspections))
	v1.GET("/admin/inspections/:id", getInspection(d.Log, d.Inspections))
	v1.GET("/admin/organizations/:id/stats", getOrgStats(d.Log, d.OrgStats))

	// Audit, access log and admin access.
	v1.GET("/me/access-log", listMyAccessLog(d.Log, d.AccessLog))
	v1.GET("/admin/audit-events", listAuditEvents(d.Log, d.Audit))
	v1.POST("/admin/workers/record", adminWorkerRecord(d.Log, d.AdminAccess, d.Now))
	v1.POST("/admin/workers/ledger/verify", adminLedgerVerify(d.Log, d.AdminAccess))
}
