package httpapi

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
)

// ProblemContentType is the media type of error answers (RFC 9457).
const ProblemContentType = "application/problem+json"

// problemTypeBase prefixes the code to form the problem type URI.
const problemTypeBase = "urn:skillrecord:problem:"

// Problem is an RFC 9457 problem details body with skillrecord's extensions.
type Problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail,omitempty"`
	Code      string            `json:"code"`
	Errors    []errs.FieldError `json:"errors,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// statusOf is the one table from error kind to HTTP status.
var statusOf = map[errs.Kind]int{
	errs.KindInternal:        http.StatusInternalServerError,
	errs.KindMalformed:       http.StatusBadRequest,
	errs.KindInvalid:         http.StatusUnprocessableEntity,
	errs.KindUnauthenticated: http.StatusUnauthorized,
	errs.KindForbidden:       http.StatusForbidden,
	errs.KindNotFound:        http.StatusNotFound,
	errs.KindConflict:        http.StatusConflict,
	errs.KindTooLarge:        http.StatusRequestEntityTooLarge,
	errs.KindUnsupported:     http.StatusUnsupportedMediaType,
	errs.KindRateLimited:     http.StatusTooManyRequests,
	errs.KindUnavailable:     http.StatusServiceUnavailable,
}

// StatusOf returns the HTTP status for err.
func StatusOf(err error) int {
	if s, ok := statusOf[errs.KindOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// problemOf builds the body for err. Internal errors show a generic detail: their cause is for
// the log only.
func problemOf(err error, requestID string) Problem {
	e := errs.As(err)
	if e == nil {
		e = errs.Internal(err, "")
	}
	status := StatusOf(e)
	p := Problem{
		Type:      problemTypeBase + e.Code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    e.Message,
		Code:      e.Code,
		Errors:    e.Fields,
		RequestID: requestID,
	}
	if e.Kind == errs.KindInternal {
		p.Detail = "an internal error occurred; quote the request id when reporting it"
		p.Errors = nil
	}
	return p
}

// respondError writes err as problem+json and aborts the chain. Server-side failures are logged
// with their cause; the caller's own mistakes are not (the access log has the status).
func respondError(c *gin.Context, log *slog.Logger, err error) {
	p := problemOf(err, requestIDOf(c))
	if p.Status >= 500 {
		log.ErrorContext(c.Request.Context(), "request failed",
			"request_id", p.RequestID, "route", routeOf(c), "code", p.Code, "error", err.Error())
	}
	setRetryAfter(c, err)
	writeProblem(c, p)
}

// unavailableRetryAfter is the Retry-After of a 503 whose error names no delay of its own.
const unavailableRetryAfter = 5 * time.Second

// setRetryAfter gives every 429 that knows its delay, and every 503, a Retry-After header.
func setRetryAfter(c *gin.Context, err error) {
	e := errs.As(err)
	switch {
	case e == nil:
	case e.Kind == errs.KindRateLimited && e.RetryAfter > 0:
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	case e.Kind == errs.KindUnavailable:
		d := e.RetryAfter
		if d <= 0 {
			d = unavailableRetryAfter
		}
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
	}
}

func writeProblem(c *gin.Context, p Problem) {
	if prefersChinese(c.GetHeader("Accept-Language")) {
		localize(&p) // the table is in problem_zh.go
		c.Header("Content-Language", "zh-CN")
	}
	c.Header("Content-Type", ProblemContentType)
	c.Header("Cache-Control", "no-store")
	c.Set(ctxProblemCode, p.Code)
	c.AbortWithStatusJSON(p.Status, p)
}

// bodyError classifies a failure to read a request body.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.TooLarge("body_too_large", "the request body is over %d bytes", mbe.Limit)
	}
	return errs.Malformed("malformed_body", "the request body could not be read")
}
