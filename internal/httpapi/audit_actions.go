package httpapi

import "strings"

// auditActions names what each route does, as the stable action word of its audit events
// (GET /admin/audit-events?action=…). The words are part of the contract: add one for every
// new route, never rename one. A test checks that every route of the access table has one.
var auditActions = map[string]string{
	// Authentication and activation.
	"POST /api/v1/auth/token":        "auth.token",
	"POST /api/v1/auth/logout":       "auth.logout",
	"POST /api/v1/workers/activate":  "worker.activate",
	"POST /api/v1/auth/set-password": "auth.set_password",
	"GET /api/v1/openapi.yaml":       "openapi.read",

	// Bureau: directory, registry, indicators, audit, inspections, admin access.
	"POST /api/v1/admin/cardholders/import":                "cardholder.import",
	"POST /api/v1/admin/organizations":                     "organization.create",
	"GET /api/v1/admin/organizations":                      "organization.list",
	"GET /api/v1/admin/organizations/:id":                  "organization.read",
	"PATCH /api/v1/admin/organizations/:id":                "organization.update",
	"POST /api/v1/admin/organizations/:id/clients":         "organization.client_create",
	"GET /api/v1/admin/organizations/:id/stats":            "organization.stats",
	"POST /api/v1/admin/organizations/:id/users":           "organization.user_create",
	"GET /api/v1/admin/organizations/:id/users":            "organization.user_list",
	"PATCH /api/v1/admin/organizations/:id/users/:user_id": "organization.user_update",
	"GET /api/v1/admin/indicators":                         "indicator.read",
	"POST /api/v1/admin/inspections":                       "inspection.create",
	"GET /api/v1/admin/inspections/:id":                    "inspection.read",
	"GET /api/v1/admin/audit-events":                       "audit.list",
	"POST /api/v1/admin/workers/record":                    "worker.record_read",
	"POST /api/v1/admin/workers/ledger/verify":             "worker.ledger_verify",
	"GET /api/v1/admin/evaluation":                         "evaluation.read",

	// Training records.
	"POST /api/v1/trainings":          "training.post",
	"POST /api/v1/trainings/batch":    "training.batch_post",
	"GET /api/v1/trainings":           "training.list",
	"POST /api/v1/trainings/:id/void": "training.void",

	// Subsidised training classes.
	"GET /api/v1/subsidy-catalogue":         "subsidy_catalogue.read",
	"POST /api/v1/classes":                  "class.file",
	"GET /api/v1/classes":                   "class.list",
	"GET /api/v1/classes/:id":               "class.read",
	"PATCH /api/v1/classes/:id/roster":      "class.roster_change",
	"POST /api/v1/classes/:id/cancel":       "class.cancel",
	"POST /api/v1/classes/:id/completion":   "class.complete",
	"POST /api/v1/admin/classes/:id/review": "class.review",
	"GET /api/v1/admin/classes":             "class.admin_list",

	// Subsidy claims, notices and objections.
	"POST /api/v1/classes/:id/claims":               "claim.draft",
	"GET /api/v1/classes/:id/claims":                "claim.list",
	"GET /api/v1/admin/claims":                      "claim.admin_list",
	"GET /api/v1/admin/claims/:id":                  "claim.read",
	"POST /api/v1/admin/claims/:id/review":          "claim.review",
	"GET /api/v1/public/notices":                    "notice.list",
	"GET /api/v1/public/notices/:id":                "notice.read",
	"POST /api/v1/public/notices/:id/objections":    "objection.create",
	"GET /api/v1/admin/objections":                  "objection.list",
	"POST /api/v1/admin/objections/:id/resolve":     "objection.resolve",
	"POST /api/v1/admin/claims/:id/disburse":        "claim.disburse",
	"PUT /api/v1/admin/funds/:source/budgets/:year": "fund.budget_set",
	"GET /api/v1/admin/funds":                       "fund.read",
	"GET /api/v1/admin/funds/entries":               "fund.entries_list",
	"POST /api/v1/admin/funds/verify":               "fund.verify",
	"GET /api/v1/admin/supervision-flags":           "supervision_flag.list",

	// Attendance of classes.
	"POST /api/v1/classes/:id/checkins":    "class.checkins_post",
	"GET /api/v1/classes/:id/checkin-code": "class.checkin_code",
	"POST /api/v1/me/checkins":             "me.checkin",

	// Certificates.
	"POST /api/v1/certificates":            "certificate.issue",
	"POST /api/v1/certificates/:no/revoke": "certificate.revoke",
	"POST /api/v1/certificates/batch":      "certificate.batch_issue",

	// Import templates.
	"GET /api/v1/templates/trainings.xlsx":    "template.trainings_read",
	"GET /api/v1/templates/certificates.xlsx": "template.certificates_read",
	"GET /api/v1/templates/cardholders.xlsx":  "template.cardholders_read",

	// A worker's own data and shares.
	"GET /api/v1/me/record":                         "me.record_read",
	"GET /api/v1/me/trainings":                      "me.trainings_list",
	"GET /api/v1/me/classes":                        "me.classes_list",
	"GET /api/v1/me/subsidies":                      "me.subsidies_list",
	"POST /api/v1/me/disputes":                      "dispute.raise",
	"POST /api/v1/admin/voucher-batches":            "voucher.batch_create",
	"GET /api/v1/admin/voucher-batches":             "voucher.batch_list",
	"GET /api/v1/admin/voucher-batches/:key":        "voucher.batch_read",
	"POST /api/v1/admin/voucher-batches/:key/close": "voucher.batch_close",
	"GET /api/v1/admin/voucher-batches/:key/stats":  "voucher.batch_stats",
	"GET /api/v1/me/vouchers/available":             "me.vouchers_available",
	"POST /api/v1/me/vouchers":                      "voucher.claim",
	"GET /api/v1/me/vouchers":                       "me.vouchers_list",
	"GET /api/v1/me/vouchers/:id/code":              "voucher.code",
	"POST /api/v1/me/vouchers/:id/accept":           "voucher.accept",
	"POST /api/v1/classes/:id/vouchers":             "voucher.use",
	"GET /api/v1/me/disputes":                       "me.disputes_list",
	"GET /api/v1/disputes":                          "dispute.list",
	"GET /api/v1/admin/disputes":                    "dispute.admin_list",
	"POST /api/v1/admin/disputes/:id/resolve":       "dispute.resolve",
	"GET /api/v1/me/certificates":                   "me.certificates_list",
	"GET /api/v1/me/credits":                        "me.credits_list",
	"GET /api/v1/me/access-log":                     "me.access_log_list",
	"POST /api/v1/me/shares":                        "share.create",
	"GET /api/v1/me/shares":                         "share.list",
	"DELETE /api/v1/me/shares/:id":                  "share.revoke",
	"GET /api/v1/me/certificates/:no/credential":    "credential.issue",

	// Verification, sharing and conversions.
	"POST /api/v1/verify/certificates": "certificate.verify",
	"POST /api/v1/verify/credential":   "credential.verify",
	"GET /api/v1/shared/:token":        "share.read",
	"POST /api/v1/credit-conversions":  "conversion.create",

	// Information exchange.
	"GET /api/v1/admin/events":                "event.list",
	"POST /api/v1/admin/employment/import":    "employment.import",
	"GET /api/v1/admin/evaluation/employment": "employment.evaluation_read",
}

// actionOf is the action word of a route: from the table, or for a route missing there one
// derived from the template ("POST /api/v1/a/:id/b" → "a.b.post"), which stays stable too.
func actionOf(method, route string) string {
	if a, ok := auditActions[method+" "+route]; ok {
		return a
	}
	var parts []string
	for _, seg := range strings.Split(strings.TrimPrefix(route, "/api/v1/"), "/") {
		if seg != "" && !strings.HasPrefix(seg, ":") && !strings.HasPrefix(seg, "*") {
			parts = append(parts, seg)
		}
	}
	return clip(strings.Join(append(parts, strings.ToLower(method)), "."), 64)
}
