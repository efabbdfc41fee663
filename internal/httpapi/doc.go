// Package httpapi is skillrecord's HTTP edge: the gin router (every route is listed in
// routes.go), middleware (request id, access log, metrics, panic recovery, body limits), the
// one mapping from errs kinds to RFC 9457 problem+json answers, and the handlers, which turn
// requests into calls on domain services and domain values into response bodies (masking
// personal data on the way out).
//
// It must not know SQL (gorm) or Redis: it talks to the services and stores through the
// interfaces it declares.
package httpapi
