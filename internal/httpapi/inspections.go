package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/inspection"
)

// InspectionService draws and reads random inspections (package inspection's Service).
type InspectionService interface {
	Create(ctx context.Context, createdBy string, p inspection.Params, seed inspection.Seed) (inspection.Inspection, error)
	Get(ctx context.Context, id string) (inspection.Inspection, error)
}

type inspectionRequest struct {
	Institutions          *int            `json:"institutions"`
	RecordsPerInstitution *int            `json:"records_per_institution"`
	ClassesPerInstitution *int            `json:"classes_per_institution"`
	Seed                  json.RawMessage `json:"seed"`
}

// params checks the request: both numbers present (their range is the service's rule) and
// the seed absent, null, an integer or a string.
func (r inspectionRequest) params() (inspection.Params, inspection.Seed, error) {
	var (
		p      inspection.Params
		fields []errs.FieldError
	)
	if r.Institutions == nil {
		fields = append(fields, errs.Field("institutions", inspection.CodeRequired, "institutions is required (1 to 100)"))
	} else {
		p.Institutions = *r.Institutions
	}
	if r.RecordsPerInstitution == nil {
		fields = append(fields, errs.Field("records_per_institution", inspection.CodeRequired, "records_per_institution is required (1 to 100)"))
	} else {
		p.RecordsPerInstitution = *r.RecordsPerInstitution
	}
	if r.ClassesPerInstitution != nil {
		p.ClassesPerInstitution = *r.ClassesPerInstitution
	}
	if len(fields) > 0 {
		return p, "", errs.Invalid(fields[0].Code, "the inspection parameters are not valid").WithFields(fields...)
	}
	seed, err := parseSeed(r.Seed)
	return p, seed, err
}

// parseSeed reads the seed of a request: absent or null (generated), a JSON integer in the
// int64 range (its decimal form), or a string of 1–64 printable ASCII characters.
func parseSeed(raw json.RawMessage) (inspection.Seed, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return inspection.ParseSeed("")
		}
		return inspection.ParseSeed(s)
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return inspection.ParseSeed("") // a fraction, an object, a boolean: not a seed
	}
	return inspection.SeedOf(n), nil
}

type drawnJSON struct {
	InstitutionID    string   `json:"institution_id"`
	Name             string   `json:"name"`
	RecordCandidates int      `json:"record_candidates"`
	RecordIDs        []string `json:"record_ids"`
	ClassCandidates  int      `json:"class_candidates"`
	ClassIDs         []string `json:"class_ids"`
}

type inspectionJSON struct {
	ID                    string      `json:"id"`
	Seed                  string      `json:"seed"`
	Institutions          int         `json:"institutions"`
	RecordsPerInstitution int         `json:"records_per_institution"`
	ClassesPerInstitution int         `json:"classes_per_institution"`
	WindowFrom            string      `json:"window_from"`
	WindowTo              string      `json:"window_to"`
	InstitutionCandidates int         `json:"institution_candidates"`
	Sample                []drawnJSON `json:"sample"`
	CreatedBy             string      `json:"created_by"`
	CreatedAt             time.Time   `json:"created_at"`
}

func toInspectionJSON(in inspection.Inspection) inspectionJSON {
	out := inspectionJSON{
		ID: in.ID, Seed: string(in.Seed), Institutions: in.Params.Institutions,
		RecordsPerInstitution: in.Params.RecordsPerInstitution, ClassesPerInstitution: in.Params.ClassesPerInstitution,
		WindowFrom: in.Window.From.String(),
		WindowTo:   in.Window.To.String(), InstitutionCandidates: in.InstitutionCandidates,
		Sample: make([]drawnJSON, len(in.Sample)), CreatedBy: in.CreatedBy, CreatedAt: in.CreatedAt,
	}
	for i, d := range in.Sample {
		ids := d.RecordIDs
		if ids == nil {
			ids = []string{}
		}
		classes := d.ClassIDs
		if classes == nil {
			classes = []string{}
		}
		out.Sample[i] = drawnJSON{InstitutionID: d.InstitutionID, Name: d.Name, RecordCandidates: d.RecordCandidates, RecordIDs: ids,
			ClassCandidates: d.ClassCandidates, ClassIDs: classes}
	}
	return out
}

func createInspection(log *slog.Logger, svc InspectionService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req inspectionRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		p, seed, err := req.params()
		if err != nil {
			respondError(c, log, err)
			return
		}
		in, err := svc.Create(c.Request.Context(), principalOf(c).ID, p, seed)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Location", "/api/v1/admin/inspections/"+in.ID)
		c.JSON(http.StatusCreated, toInspectionJSON(in))
	}
}

func getInspection(log *slog.Logger, svc InspectionService) gin.HandlerFunc {
	return func(c *gin.Context) {
		in, err := svc.Get(c.Request.Context(), c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toInspectionJSON(in))
	}
}
