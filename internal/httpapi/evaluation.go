package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/evaluation"
	"skillrecord/internal/indicator"
)

// EvaluationReader is the performance evaluation of institutions (package evaluation's
// Service).
type EvaluationReader interface {
	CityWide(ctx context.Context, p indicator.Period) ([]evaluation.Figures, error)
	Institution(ctx context.Context, id string, p indicator.Period) (evaluation.Figures, error)
}

type figuresJSON struct {
	InstitutionID         string           `json:"institution_id"`
	InstitutionName       string           `json:"institution_name"`
	Classes               int64            `json:"classes"`
	Trainees              int64            `json:"trainees"`
	CompletionRate        *float64         `json:"completion_rate"`
	PassRate              *float64         `json:"pass_rate"`
	MeanAttendance        *float64         `json:"mean_attendance"`
	SupervisionFlags      map[string]int64 `json:"supervision_flags"`
	ObjectionsUpheld      int64            `json:"objections_upheld"`
	DisputesUpheld        int64            `json:"disputes_upheld"`
	SubsidyClaimedCents   int64            `json:"subsidy_claimed_cents"`
	SubsidyApprovedCents  int64            `json:"subsidy_approved_cents"`
	SubsidyDisbursedCents int64            `json:"subsidy_disbursed_cents"`
	Certificates          int64            `json:"certificates"`
	CostPerCertificate    *int64           `json:"cost_per_certificate_cents"`
	VouchersUsed          int64            `json:"vouchers_used"`
}

func toFiguresJSON(f evaluation.Figures) figuresJSON {
	out := figuresJSON{InstitutionID: f.InstitutionID, InstitutionName: f.InstitutionName, Classes: f.Classes,
		Trainees: f.Trainees, CompletionRate: f.CompletionRate(), PassRate: f.PassRate(), MeanAttendance: f.MeanAttendance(),
		SupervisionFlags: f.Flags, ObjectionsUpheld: f.ObjectionsUpheld, DisputesUpheld: f.DisputesUpheld,
		SubsidyClaimedCents: int64(f.ClaimedCents), SubsidyApprovedCents: int64(f.ApprovedCents),
		SubsidyDisbursedCents: int64(f.DisbursedCents), Certificates: f.Certificates, VouchersUsed: f.VouchersUsed}
	if c := f.CostPerCertificate(); c != nil {
		v := int64(*c)
		out.CostPerCertificate = &v
	}
	return out
}

func optional(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// evaluationCSV writes one row per institution after a UTF-8 BOM, the flag kinds as columns.
func evaluationCSV(fs []evaluation.Figures) []byte {
	var b bytes.Buffer
	b.WriteString(utf8BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	head := []string{"institution_id", "institution_name", "classes", "trainees", "completion_rate", "pass_rate", "mean_attendance"}
	for _, k := range evaluation.FlagKinds() {
		head = append(head, "flags_"+k)
	}
	head = append(head, "objections_upheld", "disputes_upheld", "subsidy_claimed_cents", "subsidy_approved_cents",
		"subsidy_disbursed_cents", "certificates", "cost_per_certificate_cents", "vouchers_used")
	_ = w.Write(head) // writes to a bytes.Buffer do not fail
	for _, f := range fs {
		j := toFiguresJSON(f)
		row := []string{j.InstitutionID, j.InstitutionName, strconv.FormatInt(j.Classes, 10), strconv.FormatInt(j.Trainees, 10),
			optional(j.CompletionRate), optional(j.PassRate), optional(j.MeanAttendance)}
		for _, k := range evaluation.FlagKinds() {
			row = append(row, strconv.FormatInt(f.Flags[k], 10))
		}
		cost := ""
		if j.CostPerCertificate != nil {
			cost = strconv.FormatInt(*j.CostPerCertificate, 10)
		}
		row = append(row, strconv.FormatInt(j.ObjectionsUpheld, 10), strconv.FormatInt(j.DisputesUpheld, 10),
			strconv.FormatInt(j.SubsidyClaimedCents, 10), strconv.FormatInt(j.SubsidyApprovedCents, 10),
			strconv.FormatInt(j.SubsidyDisbursedCents, 10), strconv.FormatInt(j.Certificates, 10), cost,
			strconv.FormatInt(j.VouchersUsed, 10))
		_ = w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

type evaluationJSON struct {
	From         string        `json:"from"`
	To           string        `json:"to"`
	Institutions []figuresJSON `json:"institutions"`
}

// getEvaluation serves GET /admin/evaluation?from=&to=&format=: every institution's figures
// over the classes ending in the period, as JSON or CSV.
func getEvaluation(log *slog.Logger, svc EvaluationReader) gin.HandlerFunc {
	return func(c *gin.Context) {
		format, p, err := reportQuery(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		fs, err := svc.CityWide(c.Request.Context(), p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		if format == "csv" {
			c.Header("Content-Disposition", `attachment; filename="evaluation_`+p.From.String()+`_`+p.To.String()+`.csv"`)
			c.Data(http.StatusOK, "text/csv; charset=utf-8", evaluationCSV(fs))
			return
		}
		out := evaluationJSON{From: p.From.String(), To: p.To.String(), Institutions: make([]figuresJSON, len(fs))}
		for i, f := range fs {
			out.Institutions[i] = toFiguresJSON(f)
		}
		c.JSON(http.StatusOK, out)
	}
}
