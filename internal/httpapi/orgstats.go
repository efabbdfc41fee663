package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/evaluation"
	"skillrecord/internal/indicator"
)

// OrgStatsReader computes an organisation's performance figures (package indicator's
// Service).
type OrgStatsReader interface {
	InstitutionStats(ctx context.Context, orgID string, p indicator.Period) (indicator.Stats, error)
}

type orgStatsJSON struct {
	OrganizationID      string   `json:"organization_id"`
	From                string   `json:"from"`
	To                  string   `json:"to"`
	RecordsPosted       int64    `json:"records_posted"`
	Voided              int64    `json:"voided"`
	Passed              int64    `json:"passed"`
	PassRate            *float64 `json:"pass_rate"`
	SubsidizedRecords   int64    `json:"subsidized_records"`
	SubsidyAmountCents  int64    `json:"subsidy_amount_cents"`
	DistinctWorkers     int64    `json:"distinct_workers"`
	CertificatesIssued  int64    `json:"certificates_issued"`
	CertificatesRevoked int64    `json:"certificates_revoked"`
	// Evaluation is the institution's subsidised-class figures (绩效评估), when wired.
	Evaluation *figuresJSON `json:"evaluation,omitempty"`
}

func toOrgStatsJSON(s indicator.Stats) orgStatsJSON {
	out := orgStatsJSON{
		OrganizationID: s.OrgID, From: s.Period.From.String(), To: s.Period.To.String(),
		RecordsPosted: s.RecordsPosted, Voided: s.Voided, Passed: s.Passed,
		SubsidizedRecords: s.SubsidizedRecords, SubsidyAmountCents: s.SubsidyAmountCents,
		DistinctWorkers: s.DistinctWorkers, CertificatesIssued: s.CertificatesIssued,
		CertificatesRevoked: s.CertificatesRevoked,
	}
	if rate, ok := s.PassRate(); ok {
		out.PassRate = &rate
	}
	return out
}

// getOrgStats serves GET /admin/organizations/{id}/stats?from=&to=&format=: the
// institution's record figures with its evaluation figures (JSON), or the evaluation figures
// as one CSV row.
func getOrgStats(log *slog.Logger, svc OrgStatsReader, eval EvaluationReader) gin.HandlerFunc {
	return func(c *gin.Context) {
		format, p, err := reportQuery(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		st, err := svc.InstitutionStats(c.Request.Context(), c.Param("id"), p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		out := toOrgStatsJSON(st)
		if eval != nil {
			f, err := eval.Institution(c.Request.Context(), c.Param("id"), p)
			if err != nil {
				respondError(c, log, err)
				return
			}
			if format == "csv" {
				c.Header("Cache-Control", "no-store")
				c.Header("Content-Disposition", `attachment; filename="evaluation_`+p.From.String()+`_`+p.To.String()+`.csv"`)
				c.Data(http.StatusOK, "text/csv; charset=utf-8", evaluationCSV([]evaluation.Figures{f}))
				return
			}
			j := toFiguresJSON(f)
			out.Evaluation = &j
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
	}
}
