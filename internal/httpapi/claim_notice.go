package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/claim"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// objectionsPerHour is how many objections one address may raise in an hour.
const objectionsPerHour = 5

// noticeLineJSON is one trainee of a public notice: the masked name and the amount, nothing
// else (no SSN in any form).
type noticeLineJSON struct {
	NameMasked  string `json:"name_masked"`
	AmountCents int64  `json:"amount_cents"`
}

// noticeJSON is a public notice (公示) as anyone sees it: the institution, the course, the
// notice's period and the trainees to be paid (masked names, amounts), nothing else.
type noticeJSON struct {
	ID              string           `json:"id"`
	InstitutionName string           `json:"institution_name"`
	CourseName      string           `json:"course_name"`
	StartsAt        time.Time        `json:"starts_at"`
	EndsAt          time.Time        `json:"ends_at"`
	Trainees        []noticeLineJSON `json:"trainees"`
}

func toNoticeJSON(n claim.Notice) noticeJSON {
	out := noticeJSON{ID: n.ID, InstitutionName: n.InstitutionName, CourseName: n.CourseName,
		StartsAt: n.StartsAt, EndsAt: n.EndsAt,
		Trainees: []noticeLineJSON{}}
	if n.Claim != nil {
		for _, l := range n.Claim.Lines {
			if l.AmountCents > 0 {
				out.Trainees = append(out.Trainees, noticeLineJSON{NameMasked: identity.MaskName(l.Name), AmountCents: int64(l.AmountCents)})
			}
		}
	}
	return out
}

type objectionJSON struct {
	ID            string     `json:"id"`
	NoticeID      string     `json:"notice_id"`
	ClaimID       string     `json:"claim_id,omitempty"`
	Text          string     `json:"text,omitempty"`
	Contact       string     `json:"contact,omitempty"`
	Status        string     `json:"status"`
	ResolveReason string     `json:"resolve_reason,omitempty"`
	ResolvedAt    *time.Time `json:"resolved_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
}

func toObjectionJSON(o claim.Objection) objectionJSON {
	return objectionJSON{ID: o.ID, NoticeID: o.NoticeID, ClaimID: o.ClaimID, Text: o.Text, Contact: o.Contact,
		Status: o.Status, ResolveReason: o.ResolveReason, ResolvedAt: instant(o.ResolvedAt), CreatedAt: o.CreatedAt}
}

// listNotices serves GET /public/notices: the public notices, newest first, to anyone.
func listNotices(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.Notices(c.Request.Context(), p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toList(res, toNoticeJSON))
	}
}

// getNotice serves GET /public/notices/{id}: one public notice, to anyone.
func getNotice(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		n, err := svc.Notice(c.Request.Context(), c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toNoticeJSON(n))
	}
}

// postObjection serves POST /public/notices/{id}/objections {text, contact?}: 201 while the
// notice runs, 409 notice_closed after; at most objectionsPerHour an hour per address (429).
func postObjection(log *slog.Logger, svc ClaimService, limit auth.Throttle) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := auth.ThrottleKey{Key: "objection-ip:" + c.ClientIP(), Limit: objectionsPerHour}
		if limit != nil {
			if wait := limit.Check(c.Request.Context(), key); wait > 0 {
				respondError(c, log, errs.RateLimited("too_many_objections", wait, "too many objections from this address; try again later"))
				return
			}
		}
		var in claim.ObjectionInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		o, err := svc.Object(c.Request.Context(), c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		if limit != nil {
			limit.Fail(c.Request.Context(), key)
		}
		c.JSON(http.StatusCreated, objectionJSON{ID: o.ID, NoticeID: o.NoticeID, Status: o.Status, CreatedAt: o.CreatedAt})
	}
}

// listObjections serves GET /admin/objections?status=: objections, newest first.
func listObjections(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.Objections(c.Request.Context(), c.Query("status"), p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, toObjectionJSON))
	}
}

// resolveObjection serves POST /admin/objections/{id}/resolve {upheld, reason}.
func resolveObjection(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in claim.ResolveInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		o, err := svc.Resolve(c.Request.Context(), c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toObjectionJSON(o))
	}
}
