package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/civil"
	"skillrecord/internal/class"
)

// CheckinService is the attendance use cases of classes (package class's Checkins): the
// institution's bulk check-ins and rotating code, the worker's phone check-in.
type CheckinService interface {
	Bulk(ctx context.Context, institutionID, classID string, in class.BulkInput) (class.BulkResult, error)
	IssueCode(ctx context.Context, institutionID, classID string) (class.Code, error)
	CheckIn(ctx context.Context, workerID, code string) (class.PhoneCheckin, error)
}

type refusedJSON struct {
	Index int    `json:"index"`
	Code  string `json:"code"`
}

type bulkCheckinJSON struct {
	Accepted int           `json:"accepted"`
	Refused  []refusedJSON `json:"refused"`
}

type checkinCodeJSON struct {
	Code      string    `json:"code"`
	QRPayload string    `json:"qr_payload"`
	ExpiresAt time.Time `json:"expires_at"`
}

type phoneCheckinRequest struct {
	Code string `json:"code"`
}

// myCheckinJSON is a phone check-in as the worker sees it: their own, nothing of anyone else.
type myCheckinJSON struct {
	ClassID     string     `json:"class_id"`
	CourseName  string     `json:"course_name"`
	SessionDate civil.Date `json:"session_date"`
	CheckedInAt time.Time  `json:"checked_in_at"`
	Method      string     `json:"method"`
}

// postCheckins serves POST /classes/{id}/checkins: 200 with the count of accepted lines and
// the refused ones, even when every line is refused.
func postCheckins(log *slog.Logger, svc CheckinService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var in class.BulkInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		res, err := svc.Bulk(c.Request.Context(), inst, c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		out := bulkCheckinJSON{Accepted: res.Accepted, Refused: make([]refusedJSON, len(res.Refused))}
		for i, r := range res.Refused {
			out.Refused[i] = refusedJSON{Index: r.Index, Code: r.Code}
		}
		c.JSON(http.StatusOK, out)
	}
}

// getCheckinCode serves GET /classes/{id}/checkin-code: the classroom screen's current code.
func getCheckinCode(log *slog.Logger, svc CheckinService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		code, err := svc.IssueCode(c.Request.Context(), inst, c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, checkinCodeJSON{Code: code.Short, QRPayload: code.Payload, ExpiresAt: code.ExpiresAt})
	}
}

// postMyCheckin serves POST /me/checkins: 201 with a new check-in, 200 with the stored one when
// the worker was checked into that session already.
// A worker's wrong codes are limited by guesses (checkin_limit.go).
func postMyCheckin(log *slog.Logger, svc CheckinService, guesses *checkinGuesses) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in phoneCheckinRequest
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		workerID := principalOf(c).ID
		call, err := guesses.before(c, workerID)
		if err != nil {
			respondError(c, log, err)
			return
		}
		res, err := svc.CheckIn(c.Request.Context(), workerID, in.Code)
		if err != nil {
			respondError(c, log, guesses.after(c, call, err))
			return
		}
		status := http.StatusOK
		if res.Created {
			status = http.StatusCreated
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(status, myCheckinJSON{
			ClassID: res.ClassID, CourseName: res.CourseName, SessionDate: res.SessionDate,
			CheckedInAt: res.CheckedInAt, Method: res.Method,
		})
	}
}
