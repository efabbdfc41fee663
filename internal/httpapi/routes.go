package httpapi

import (
	"log/slog"
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"skillrecord/api"
	"skillrecord/internal/certificate"
	"skillrecord/internal/training"
	"skillrecord/internal/worker"
)

// routes lists every route of the service in one place. Each one must have a path in
// api/openapi.yaml (a test checks both directions).
func routes(r *gin.Engine, d Deps, metrics http.Handler) {
	// Operations.
	r.GET("/healthz", healthz())
	r.GET("/readyz", readyz(d.Log, d.DB, d.Cache, d.Drain))
	r.GET("/metrics", gin.WrapH(metrics))
	r.GET("/.well-known/jwks.json", getJWKS(d.JWKS))
	r.GET("/docs", docsPage())
	r.GET("/docs/redoc.standalone.js", docsScript())

	// Mobile pages (package web): workers, institution staff, employer staff.
	r.GET("/app/", webPage("app"))
	r.GET("/org/", webPage("org"))
	r.GET("/verify/", webPage("verify"))
	r.GET("/app", toPage("/app/"))
	r.GET("/org", toPage("/org/"))
	r.GET("/verify", toPage("/verify/"))
	r.GET("/assets/:file", pageAsset(d.Log))

	quotas := newQuotaMetrics(d.Metrics)
	v1 := r.Group("/api/v1", AuditTrail(d.Log, d.Audit, d.Now), bodyLimit(d.Log, d.Limits), authorize(d.Log, d.Auth, prefetches(d)))
	v1.GET("/openapi.yaml", func(c *gin.Context) {
		c.Data(http.StatusOK, "application/yaml", api.OpenAPI)
	})

	// Identity and authentication.
	v1.POST("/auth/token", needs(d.Log, d.Tokens), postToken(d.Log, d.Tokens))
	v1.POST("/auth/logout", needs(d.Log, d.Tokens), postLogout(d.Log, d.Tokens))
	v1.POST("/auth/set-password", needs(d.Log, d.Staff), setPassword(d.Log, d.Staff))

	// Cardholder registry and workers.
	v1.POST("/admin/cardholders/import", needs(d.Log, d.Cardholders), importCardholders(d.Log, d.Cardholders, d.Now))
	v1.POST("/workers/activate", needs(d.Log, d.Workers), activateWorker(d.Log, d.Workers, newActivationLimit(d.Throttling, quotas), d.Now))

	// Organisations.
	v1.POST("/admin/organizations", needs(d.Log, d.Orgs), createOrg(d.Log, d.Orgs))
	v1.GET("/admin/organizations", needs(d.Log, d.Orgs), listOrgs(d.Log, d.Orgs))
	v1.GET("/admin/organizations/:id", needs(d.Log, d.Orgs), getOrg(d.Log, d.Orgs))
	v1.PATCH("/admin/organizations/:id", needs(d.Log, d.Orgs), patchOrg(d.Log, d.Orgs))
	v1.POST("/admin/organizations/:id/clients", needs(d.Log, d.Orgs, d.Clients), createClient(d.Log, d.Orgs, d.Clients))
	v1.POST("/admin/organizations/:id/users", needs(d.Log, d.Orgs, d.Staff), createStaff(d.Log, d.Orgs, d.Staff, d.PublicURL))
	v1.GET("/admin/organizations/:id/users", needs(d.Log, d.Orgs, d.Staff), listStaff(d.Log, d.Orgs, d.Staff))
	v1.PATCH("/admin/organizations/:id/users/:user_id", needs(d.Log, d.Orgs, d.Staff), patchStaff(d.Log, d.Orgs, d.Staff))

	// Training records.
	v1.POST("/trainings", needs(d.Log, d.Trainings), postTraining(d.Log, d.Trainings))
	v1.POST("/trainings/batch", needs(d.Log, d.Trainings), postTrainingBatch(d.Log, d.Trainings))
	v1.GET("/trainings", needs(d.Log, d.Trainings), listTrainings(d.Log, d.Trainings))
	v1.POST("/trainings/:id/void", needs(d.Log, d.Trainings), voidTraining(d.Log, d.Trainings))
	v1.GET("/me/trainings", needs(d.Log, d.Trainings), listMyTrainings(d.Log, d.Trainings))

	// Subsidised training classes and their supervision.
	v1.GET("/subsidy-catalogue", needs(d.Log, d.Classes), getSubsidyCatalogue(d.Classes))
	v1.POST("/classes", needs(d.Log, d.Classes), postClass(d.Log, d.Classes))
	v1.GET("/classes", needs(d.Log, d.Classes), listClasses(d.Log, d.Classes))
	v1.GET("/classes/:id", needs(d.Log, d.Classes), getClass(d.Log, d.Classes))
	v1.PATCH("/classes/:id/roster", needs(d.Log, d.Classes), patchRoster(d.Log, d.Classes))
	v1.POST("/classes/:id/cancel", needs(d.Log, d.Classes), cancelClass(d.Log, d.Classes))
	v1.POST("/classes/:id/completion", needs(d.Log, d.Classes), completeClass(d.Log, d.Classes))
	v1.POST("/admin/classes/:id/review", needs(d.Log, d.Classes), reviewClass(d.Log, d.Classes))
	v1.GET("/admin/classes", needs(d.Log, d.Classes), listAdminClasses(d.Log, d.Classes))
	v1.GET("/admin/supervision-flags", needs(d.Log, d.Classes), listSupervisionFlags(d.Log, d.Classes))
	v1.GET("/me/classes", needs(d.Log, d.Classes), listMyClasses(d.Log, d.Classes))

	// Subsidy claims, their review and public notices (公示) with objections.
	v1.POST("/classes/:id/claims", needs(d.Log, d.Claims), draftClaim(d.Log, d.Claims))
	v1.GET("/classes/:id/claims", needs(d.Log, d.Claims), listClassClaims(d.Log, d.Claims))
	v1.GET("/admin/claims", needs(d.Log, d.Claims), listAdminClaims(d.Log, d.Claims))
	v1.GET("/admin/claims/:id", needs(d.Log, d.Claims), getAdminClaim(d.Log, d.Claims))
	v1.POST("/admin/claims/:id/review", needs(d.Log, d.Claims), reviewClaim(d.Log, d.Claims))
	v1.GET("/public/notices", needs(d.Log, d.Claims), listNotices(d.Log, d.Claims))
	v1.GET("/public/notices/:id", needs(d.Log, d.Claims), getNotice(d.Log, d.Claims))
	v1.POST("/public/notices/:id/objections", needs(d.Log, d.Claims), postObjection(d.Log, d.Claims, d.ObjectionLimit))
	v1.GET("/admin/objections", needs(d.Log, d.Claims), listObjections(d.Log, d.Claims))
	v1.POST("/admin/objections/:id/resolve", needs(d.Log, d.Claims), resolveObjection(d.Log, d.Claims))
	v1.GET("/me/subsidies", needs(d.Log, d.Claims), listMySubsidies(d.Log, d.Claims))

	// Workers' disputes of records and subsidy lines.
	v1.POST("/me/disputes", needs(d.Log, d.Disputes), raiseDispute(d.Log, d.Disputes))
	v1.GET("/me/disputes", needs(d.Log, d.Disputes), listDisputes(d.Log, d.Disputes, myDisputes))
	v1.GET("/disputes", needs(d.Log, d.Disputes), listDisputes(d.Log, d.Disputes, institutionDisputes))
	v1.GET("/admin/disputes", needs(d.Log, d.Disputes), listDisputes(d.Log, d.Disputes, allDisputes))
	v1.POST("/admin/disputes/:id/resolve", needs(d.Log, d.Disputes), resolveDispute(d.Log, d.Disputes))

	// Electronic training vouchers (职业培训券).
	v1.POST("/admin/voucher-batches", needs(d.Log, d.Vouchers), createVoucherBatch(d.Log, d.Vouchers))
	v1.GET("/admin/voucher-batches", needs(d.Log, d.Vouchers), listVoucherBatches(d.Log, d.Vouchers))
	v1.GET("/admin/voucher-batches/:key", needs(d.Log, d.Vouchers), getVoucherBatch(d.Log, d.Vouchers))
	v1.POST("/admin/voucher-batches/:key/close", needs(d.Log, d.Vouchers), closeVoucherBatch(d.Log, d.Vouchers))
	v1.GET("/admin/voucher-batches/:key/stats", needs(d.Log, d.Vouchers), voucherBatchStats(d.Log, d.Vouchers))
	v1.GET("/me/vouchers/available", needs(d.Log, d.Vouchers), availableVouchers(d.Log, d.Vouchers))
	v1.POST("/me/vouchers", needs(d.Log, d.Vouchers), claimVoucher(d.Log, d.Vouchers))
	v1.GET("/me/vouchers", needs(d.Log, d.Vouchers), listMyVouchers(d.Log, d.Vouchers))
	v1.GET("/me/vouchers/:id/code", needs(d.Log, d.Vouchers), voucherCode(d.Log, d.Vouchers))
	v1.POST("/me/vouchers/:id/accept", needs(d.Log, d.Vouchers), acceptVoucher(d.Log, d.Vouchers))
	v1.POST("/classes/:id/vouchers", needs(d.Log, d.Vouchers), useVoucher(d.Log, d.Vouchers))

	// Disbursement and the funds ledger (资金拨付).
	v1.POST("/admin/claims/:id/disburse", needs(d.Log, d.Disburser), disburseClaim(d.Log, d.Disburser))
	v1.PUT("/admin/funds/:source/budgets/:year", needs(d.Log, d.Funds), putBudget(d.Log, d.Funds))
	v1.GET("/admin/funds", needs(d.Log, d.Funds), getFunds(d.Log, d.Funds, d.Vouchers))
	v1.GET("/admin/funds/entries", needs(d.Log, d.Funds), listFundEntries(d.Log, d.Funds))
	v1.POST("/admin/funds/verify", needs(d.Log, d.Funds), verifyFunds(d.Log, d.Funds))

	// Attendance of classes (过程监督): bulk check-ins, the rotating code, phone check-ins.
	v1.POST("/classes/:id/checkins", needs(d.Log, d.Checkins), postCheckins(d.Log, d.Checkins))
	v1.GET("/classes/:id/checkin-code", needs(d.Log, d.Checkins), getCheckinCode(d.Log, d.Checkins))
	v1.POST("/me/checkins", needs(d.Log, d.Checkins), postMyCheckin(d.Log, d.Checkins, newCheckinGuesses(d.Log, d.Quotas, quotas)))

	// Certificates and verification.
	v1.POST("/certificates", needs(d.Log, d.Certificates), issueCertificate(d.Log, d.Certificates, d.Now))
	v1.POST("/certificates/batch", needs(d.Log, d.Certificates), issueCertificateBatch(d.Log, d.Certificates))
	v1.POST("/certificates/:no/revoke", needs(d.Log, d.Certificates), revokeCertificate(d.Log, d.Certificates, d.Now))
	v1.GET("/me/certificates", needs(d.Log, d.Certificates), listMyCertificates(d.Log, d.Certificates, d.Now))
	v1.POST("/verify/certificates", needs(d.Log, d.Verifier), limitQuota(d.Log, d.Quotas, quotas, quotaVerify), verifyCertificate(d.Log, d.Verifier))

	// Import templates (spreadsheets with Chinese headers, a sample row and drop-down lists).
	v1.GET("/templates/trainings.xlsx", getTemplate(d.Log, training.Template, "trainings.xlsx", d.Now))
	v1.GET("/templates/certificates.xlsx", getTemplate(d.Log, certificate.Template, "certificates.xlsx", d.Now))
	v1.GET("/templates/cardholders.xlsx", getTemplate(d.Log, worker.Template, "cardholders.xlsx", d.Now))

	// Worker views and credit conversions.
	v1.GET("/me/record", needs(d.Log, d.Records), getMyRecord(d.Log, d.Records))
	v1.GET("/me/credits", needs(d.Log, d.Credits), listMyCredits(d.Log, d.Credits))
	v1.POST("/credit-conversions", needs(d.Log, d.Conversions), postConversion(d.Log, d.Conversions))

	// Shares and credentials.
	v1.POST("/me/shares", needs(d.Log, d.Shares), createShare(d.Log, d.Shares))
	v1.GET("/me/shares", needs(d.Log, d.Shares), listShares(d.Log, d.Shares, d.Now))
	v1.DELETE("/me/shares/:id", needs(d.Log, d.Shares), revokeShare(d.Log, d.Shares))
	v1.GET("/shared/:token", needs(d.Log, d.Shares), limitQuota(d.Log, d.Quotas, quotas, quotaShared), readShared(d.Log, d.Shares, d.Now))
	v1.GET("/me/certificates/:no/credential", needs(d.Log, d.Credentials), getCredential(d.Log, d.Credentials))
	v1.POST("/verify/credential", needs(d.Log, d.Credentials), verifyCredential(d.Log, d.Credentials))

	// Indicators, inspections and institution statistics.
	v1.GET("/admin/indicators", needs(d.Log, d.Indicators), getIndicators(d.Log, d.Indicators, d.Funds))
	v1.POST("/admin/inspections", needs(d.Log, d.Inspections), createInspection(d.Log, d.Inspections))
	v1.GET("/admin/inspections/:id", needs(d.Log, d.Inspections), getInspection(d.Log, d.Inspections))
	v1.GET("/admin/organizations/:id/stats", needs(d.Log, d.OrgStats), getOrgStats(d.Log, d.OrgStats, d.Evaluation))
	v1.GET("/admin/evaluation", needs(d.Log, d.Evaluation), getEvaluation(d.Log, d.Evaluation))

	// Information exchange: change events out, employment data in, employment follow-up.
	v1.GET("/admin/events", needs(d.Log, d.Events), listEvents(d.Log, d.Events))
	v1.POST("/admin/employment/import", needs(d.Log, d.Employment), importEmployment(d.Log, d.Employment))
	v1.GET("/admin/evaluation/employment", needs(d.Log, d.EmploymentEvaluation), getEmploymentEvaluation(d.Log, d.EmploymentEvaluation))

	// Audit, access log and admin access.
	v1.GET("/me/access-log", needs(d.Log, d.AccessLog), listMyAccessLog(d.Log, d.AccessLog))
	v1.GET("/admin/audit-events", needs(d.Log, d.Audit), listAuditEvents(d.Log, d.Audit))
	v1.POST("/admin/workers/record", needs(d.Log, d.AdminAccess), adminWorkerRecord(d.Log, d.AdminAccess, d.Now))
	v1.POST("/admin/workers/ledger/verify", needs(d.Log, d.AdminAccess), adminLedgerVerify(d.Log, d.AdminAccess))
}

// needs answers 503 unavailable on a route whose services were not wired (a partial wiring in a
// test, or a part of the service switched off), so that handlers can rely on their
// dependencies.
func needs(log *slog.Logger, services ...any) gin.HandlerFunc {
	for _, svc := range services {
		if svc == nil || reflect.ValueOf(svc).Kind() == reflect.Pointer && reflect.ValueOf(svc).IsNil() {
			return func(c *gin.Context) { unavailable(c, log) }
		}
	}
	return func(c *gin.Context) { c.Next() }
}
