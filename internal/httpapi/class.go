package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/auth"
	"skillrecord/internal/civil"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/page"
)

// ClassService is the subsidised training class use cases (package class's Service).
type ClassService interface {
	SubsidyCatalogue() *class.Catalogue
	File(ctx context.Context, institutionID string, in class.Input) (class.Class, class.Outcome, error)
	Get(ctx context.Context, institutionID, id string) (class.Class, error)
	List(ctx context.Context, f class.Filter, p page.Request) (page.Result[class.Class], error)
	ChangeRoster(ctx context.Context, institutionID, id string, ch class.RosterChange) (class.Class, error)
	Cancel(ctx context.Context, institutionID, id, reason string) (class.Class, error)
	Review(ctx context.Context, id string, in class.ReviewInput) (class.Class, error)
	Complete(ctx context.Context, institutionID, id string, in class.CompletionInput) (class.Completion, class.Outcome, error)
	Flags(ctx context.Context, f class.FlagFilter, p page.Request) (page.Result[class.Flag], error)
	ListForWorker(ctx context.Context, workerID string, p page.Request) (page.Result[class.Mine], error)
}

type sessionJSON struct {
	Date     civil.Date `json:"date"`
	StartsAt string     `json:"starts_at"`
	EndsAt   string     `json:"ends_at"`
}

// memberJSON is a roster member as the institution and the bureau see it: masked.
type memberJSON struct {
	SSNMasked  string `json:"ssn_masked"`
	NameMasked string `json:"name_masked"`
}

// classJSON is a class as its institution and the bureau see it. Lists leave the roster out
// (roster_size stays).
type classJSON struct {
	ID             string        `json:"id"`
	ExternalID     string        `json:"external_id"`
	InstitutionID  string        `json:"institution_id"`
	CourseName     string        `json:"course_name"`
	TrainingType   string        `json:"training_type"`
	OccupationCode string        `json:"occupation_code"`
	OccupationName string        `json:"occupation_name,omitempty"`
	Level          *int          `json:"level,omitempty"`
	SubsidyItem    string        `json:"subsidy_item"`
	Hours          int           `json:"hours"`
	StartDate      civil.Date    `json:"start_date"`
	EndDate        civil.Date    `json:"end_date"`
	Sessions       []sessionJSON `json:"sessions"`
	Location       string        `json:"location"`
	Teacher        string        `json:"teacher"`
	Capacity       int           `json:"capacity"`
	RosterSize     int           `json:"roster_size"`
	Roster         []memberJSON  `json:"roster,omitempty"`
	Status         string        `json:"status"`
	LateFiling     bool          `json:"late_filing"`
	ReviewReason   string        `json:"review_reason,omitempty"`
	ReviewedAt     *time.Time    `json:"reviewed_at,omitempty"`
	CancelReason   string        `json:"cancel_reason,omitempty"`
	CancelledAt    *time.Time    `json:"cancelled_at,omitempty"`
	CompletedAt    *time.Time    `json:"completed_at,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

func instant(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toClassJSON(c class.Class) classJSON {
	f := c.Filing
	out := classJSON{
		ID: c.ID, ExternalID: f.ExternalID, InstitutionID: c.InstitutionID, CourseName: f.CourseName,
		TrainingType: f.TrainingType, OccupationCode: f.OccupationCode, OccupationName: f.OccupationName,
		Level: f.Level, SubsidyItem: f.SubsidyItem, Hours: f.Hours, StartDate: f.StartDate, EndDate: f.EndDate,
		Sessions: make([]sessionJSON, len(f.Sessions)), Location: f.Location, Teacher: f.Teacher,
		Capacity: f.Capacity, RosterSize: c.RosterSize, Status: c.Status, LateFiling: c.LateFiling,
		ReviewReason: c.ReviewReason, ReviewedAt: instant(c.ReviewedAt), CancelReason: c.CancelReason,
		CancelledAt: instant(c.CancelledAt), CompletedAt: instant(c.CompletedAt),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
	for i, s := range f.Sessions {
		out.Sessions[i] = sessionJSON{Date: s.Date, StartsAt: s.StartsAt.String(), EndsAt: s.EndsAt.String()}
	}
	for _, m := range c.Roster {
		out.Roster = append(out.Roster, memberJSON{SSNMasked: identity.MaskSSN(string(m.SSN)), NameMasked: identity.MaskName(m.Name)})
	}
	return out
}

// listItem is a class in a list: without its roster.
func listItem(c class.Class) classJSON {
	c.Roster = nil
	return toClassJSON(c)
}

type catalogueItemJSON struct {
	Key                 string   `json:"key"`
	Name                string   `json:"name"`
	TrainingTypes       []string `json:"training_types"`
	OccupationCodes     []string `json:"occupation_codes"`
	Level               *int     `json:"level,omitempty"`
	AmountCents         int64    `json:"amount_cents"`
	MinAttendance       float64  `json:"min_attendance"`
	CertificateRequired bool     `json:"certificate_required"`
	RequiresStatus      string   `json:"requires_status,omitempty"`
	VoucherRequired     bool     `json:"voucher_required"`
}

type catalogueJSON struct {
	Version string              `json:"version"`
	Items   []catalogueItemJSON `json:"items"`
}

// getSubsidyCatalogue serves GET /subsidy-catalogue: the catalogue in force, to any principal.
func getSubsidyCatalogue(svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		cat := svc.SubsidyCatalogue()
		out := catalogueJSON{Version: cat.Version, Items: make([]catalogueItemJSON, len(cat.Items))}
		for i, it := range cat.Items {
			out.Items[i] = catalogueItemJSON{
				Key: it.Key, Name: it.Name, TrainingTypes: it.TrainingTypes, OccupationCodes: it.OccupationCodes,
				Level: it.Level, AmountCents: int64(it.AmountCents), MinAttendance: it.MinAttendance,
				CertificateRequired: it.CertificateRequired, RequiresStatus: it.RequiresStatus,
				VoucherRequired: it.VoucherRequired,
			}
		}
		c.JSON(http.StatusOK, out)
	}
}

// postClass serves POST /classes: 201 with a new class, 200 with the stored one when the same
// class was filed before under its external_id.
func postClass(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var in class.Input
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		cl, outcome, err := svc.File(c.Request.Context(), inst, in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		status := http.StatusOK
		if outcome == class.Created {
			status = http.StatusCreated
		}
		c.Header("Location", "/api/v1/classes/"+cl.ID)
		c.JSON(status, toClassJSON(cl))
	}
}

// readerOf is the institution whose classes the caller may read: its own, or every class
// ("") for the bureau.
func readerOf(c *gin.Context) (string, error) {
	if principalOf(c).Role == auth.RoleAdmin {
		return "", nil
	}
	return institutionOf(c)
}

// getClass serves GET /classes/{id}: the class with its masked roster, to its institution or
// the bureau; anyone else gets 404.
func getClass(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := readerOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		cl, err := svc.Get(c.Request.Context(), inst, c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toClassJSON(cl))
	}
}

// listClasses serves GET /classes?status=: the institution's own classes, newest filing first.
func listClasses(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		listClassPage(c, log, svc, class.Filter{InstitutionID: inst, Status: c.Query("status")})
	}
}

// listAdminClasses serves GET /admin/classes?status=&institution_id=&from=&to=: every class,
// newest filing first; from and to bound the start date.
func listAdminClasses(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		from, to, err := dateRange(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		listClassPage(c, log, svc, class.Filter{
			Status: c.Query("status"), InstitutionID: strings.TrimSpace(c.Query("institution_id")), From: from, To: to,
		})
	}
}

func listClassPage(c *gin.Context, log *slog.Logger, svc ClassService, f class.Filter) {
	p, ok := parsePage(c, log)
	if !ok {
		return
	}
	res, err := svc.List(c.Request.Context(), f, p)
	if err != nil {
		respondError(c, log, err)
		return
	}
	c.JSON(http.StatusOK, toList(res, listItem))
}

// dateRange reads the optional ?from= and ?to= dates (YYYY-MM-DD).
func dateRange(c *gin.Context) (civil.Date, civil.Date, error) {
	var out [2]civil.Date
	for i, name := range []string{"from", "to"} {
		raw := strings.TrimSpace(c.Query(name))
		if raw == "" {
			continue
		}
		d, err := civil.ParseDate(raw)
		if err != nil {
			return civil.Date{}, civil.Date{}, errs.Invalid(class.CodeInvalidDate, "%s must be a date written YYYY-MM-DD", name).
				WithFields(errs.Field(name, class.CodeInvalidDate, "a date written YYYY-MM-DD"))
		}
		out[i] = d
	}
	return out[0], out[1], nil
}

// patchRoster serves PATCH /classes/{id}/roster {add, remove}: the class with its new roster.
func patchRoster(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var ch class.RosterChange
		if err := bindJSON(c, &ch); err != nil {
			respondError(c, log, err)
			return
		}
		cl, err := svc.ChangeRoster(c.Request.Context(), inst, c.Param("id"), ch)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toClassJSON(cl))
	}
}

// cancelClass serves POST /classes/{id}/cancel {reason}: the cancelled class.
func cancelClass(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var in class.ReasonInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		cl, err := svc.Cancel(c.Request.Context(), inst, c.Param("id"), in.Reason)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toClassJSON(cl))
	}
}

// reviewClass serves POST /admin/classes/{id}/review {decision, reason}: the reviewed class.
func reviewClass(log *slog.Logger, svc ClassService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in class.ReviewInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		cl, err := svc.Review(c.Request.Context(), c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toClassJSON(cl))
	}
}
