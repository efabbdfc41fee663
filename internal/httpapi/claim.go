package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/claim"
	"skillrecord/internal/identity"
	"skillrecord/internal/page"
)

// ClaimService is the subsidy claim use cases (package claim's Service).
type ClaimService interface {
	Draft(ctx context.Context, institutionID, classID string) (claim.Claim, claim.Outcome, error)
	ForClass(ctx context.Context, institutionID, classID string, p page.Request) (page.Result[claim.Claim], error)
	List(ctx context.Context, f claim.Filter, p page.Request) (page.Result[claim.Claim], error)
	Get(ctx context.Context, institutionID, id string) (claim.Claim, error)
	Review(ctx context.Context, id string, in claim.ReviewInput) (claim.Claim, error)
	Notices(ctx context.Context, p page.Request) (page.Result[claim.Notice], error)
	Notice(ctx context.Context, id string) (claim.Notice, error)
	Object(ctx context.Context, noticeID string, in claim.ObjectionInput) (claim.Objection, error)
	Objections(ctx context.Context, status string, p page.Request) (page.Result[claim.Objection], error)
	Resolve(ctx context.Context, id string, in claim.ResolveInput) (claim.Objection, error)
	Subsidies(ctx context.Context, workerID string, p page.Request) (page.Result[claim.Subsidy], error)
	BureauLocation() *time.Location
}

// claimLineJSON is a claim line as the institution and the bureau see it: masked.
type claimLineJSON struct {
	LineID       string   `json:"line_id"`
	SSNMasked    string   `json:"ssn_masked"`
	NameMasked   string   `json:"name_masked"`
	Eligible     bool     `json:"eligible"`
	AmountCents  int64    `json:"amount_cents"`
	ClaimedCents int64    `json:"claimed_cents"`
	Reasons      []string `json:"reasons"`
	AdjustReason string   `json:"adjust_reason,omitempty"`
	TrainingID   string   `json:"training_id,omitempty"`
	Held         bool     `json:"held"`
}

type noticeRefJSON struct {
	ID       string    `json:"id"`
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

type claimJSON struct {
	ID            string          `json:"id"`
	ClassID       string          `json:"class_id"`
	InstitutionID string          `json:"institution_id"`
	CourseName    string          `json:"course_name,omitempty"`
	Status        string          `json:"status"`
	TotalCents    int64           `json:"total_cents"`
	ReviewReason  string          `json:"review_reason,omitempty"`
	ReviewedAt    *time.Time      `json:"reviewed_at,omitempty"`
	Notice        *noticeRefJSON  `json:"notice,omitempty"`
	Lines         []claimLineJSON `json:"lines"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

func toClaimJSON(c claim.Claim) claimJSON {
	out := claimJSON{ID: c.ID, ClassID: c.ClassID, InstitutionID: c.InstitutionID, CourseName: c.CourseName,
		Status: c.Status, TotalCents: int64(c.TotalCents), ReviewReason: c.ReviewReason, ReviewedAt: instant(c.ReviewedAt),
		Lines: make([]claimLineJSON, len(c.Lines)), CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if c.Notice != nil {
		out.Notice = &noticeRefJSON{ID: c.Notice.ID, StartsAt: c.Notice.StartsAt, EndsAt: c.Notice.EndsAt}
	}
	for i, l := range c.Lines {
		reasons := l.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		out.Lines[i] = claimLineJSON{
			LineID: l.ID, SSNMasked: identity.MaskSSN(string(l.SSN)), NameMasked: identity.MaskName(l.Name),
			Eligible: l.Eligible, AmountCents: int64(l.AmountCents), ClaimedCents: int64(l.ClaimedCents),
			Reasons: reasons, AdjustReason: l.AdjustReason, TrainingID: l.TrainingID, Held: l.Held,
		}
	}
	return out
}

// draftClaim serves POST /classes/{id}/claims: 201 with the new claim of a completed class,
// 200 with the stored one when it was drafted before.
func draftClaim(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		cl, outcome, err := svc.Draft(c.Request.Context(), inst, c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		status := http.StatusOK
		if outcome == claim.Created {
			status = http.StatusCreated
		}
		c.JSON(status, toClaimJSON(cl))
	}
}

// listClassClaims serves GET /classes/{id}/claims: the claims of the institution's class.
func listClassClaims(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.ForClass(c.Request.Context(), inst, c.Param("id"), p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toList(res, toClaimJSON))
	}
}

// listAdminClaims serves GET /admin/claims?status=&institution_id=: every claim, newest first.
func listAdminClaims(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.List(c.Request.Context(), claim.Filter{Status: c.Query("status"), InstitutionID: c.Query("institution_id")}, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toList(res, toClaimJSON))
	}
}

// getAdminClaim serves GET /admin/claims/{id}: one claim.
func getAdminClaim(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		cl, err := svc.Get(c.Request.Context(), "", c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toClaimJSON(cl))
	}
}

// reviewClaim serves POST /admin/claims/{id}/review {decision, reason, adjustments?}.
func reviewClaim(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in claim.ReviewInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		cl, err := svc.Review(c.Request.Context(), c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toClaimJSON(cl))
	}
}
