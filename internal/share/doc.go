// Package share is a worker's consent to let an organisation read their data (授权分享): a
// share grants whoever presents its random token — an employer or a college, or only the one
// organisation it is bound to — a read of the worker's record or of their certificates, for
// 1 hour to 30 days, until the worker revokes it. Every read through a share is an access
// event the worker can list.
//
// The token is shown once, when the share is created; only its SHA-256 is stored, and an
// unknown, expired, revoked or foreign-bound token all answer the same 404, so a reader learns
// nothing about tokens that do not work for them. Tokens are never logged.
//
// This package holds the rules (Input, Share, Status) and the use cases (Service) over small
// interfaces. It must not know HTTP, SQL or Redis (no gin, gorm or go-redis): package sqlstore
// keeps shares, package httpapi converts views to JSON (and masks the SSN there).
package share
