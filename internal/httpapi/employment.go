package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"iter"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/civil"
	"skillrecord/internal/employment"
	"skillrecord/internal/errs"
	"skillrecord/internal/indicator"
	"skillrecord/internal/worker"
)

// EmploymentImporter imports employment spells (package employment's Service).
type EmploymentImporter interface {
	Import(ctx context.Context, rows iter.Seq2[employment.ImportRow, error]) (employment.Result, error)
}

// EmploymentEvaluator computes the employment follow-up (package employment's Evaluator).
type EmploymentEvaluator interface {
	Evaluate(ctx context.Context, from, to civil.Date) (employment.Report, error)
}

const xlsxMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importEmployment serves POST /admin/employment/import: text/csv, XLSX or application/json
// {spells:[…]}, answered 200 with the counts and the refused rows (index, field and code).
func importEmployment(log *slog.Logger, svc EmploymentImporter) gin.HandlerFunc {
	return func(c *gin.Context) {
		rows, err := employmentRows(c.GetHeader("Content-Type"), c.Request.Body)
		if err != nil {
			respondError(c, log, err)
			return
		}
		res, err := svc.Import(c.Request.Context(), rows)
		if err != nil {
			respondError(c, log, readError(err))
			return
		}
		out := importResponse{Imported: res.Imported, Updated: res.Updated, Errors: make([]importRowError, len(res.Errors))}
		for i, e := range res.Errors {
			out.Errors[i] = importRowError{Index: e.Index, Field: e.Field, Code: e.Code}
		}
		c.JSON(http.StatusOK, out)
	}
}

// employmentRows picks the reader for the body's media type.
func employmentRows(contentType string, body io.Reader) (iter.Seq2[employment.ImportRow, error], error) {
	unsupported := errs.Unsupported("unsupported_media_type", "send the spells as text/csv, XLSX or application/json")
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, unsupported
	}
	switch mt {
	case "text/csv":
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
			return nil, errs.Unsupported("unsupported_media_type", "a CSV import must be encoded in UTF-8")
		}
		return worker.ReadCSVOf(body, employment.Table), nil
	case "application/json":
		return worker.ReadJSONOf(body, employment.Table), nil
	case xlsxMediaType:
		return worker.ReadXLSXOf(body, employment.Table, employment.FieldStartDate, employment.FieldEndDate), nil
	}
	return nil, unsupported
}

type employmentFiguresJSON struct {
	InstitutionID   string  `json:"institution_id"`
	InstitutionName string  `json:"institution_name"`
	Trainees        int     `json:"trainees"`
	Unknown         int     `json:"unknown"`
	Employed3m      int     `json:"employed_3m"`
	Employed6m      int     `json:"employed_6m"`
	Rate3m          float64 `json:"rate_3m"`
	Rate6m          float64 `json:"rate_6m"`
	Retained6m      int     `json:"retained_6m"`
	RetentionRate   float64 `json:"retention_rate"`
}

type employmentReportJSON struct {
	From         civil.Date              `json:"from"`
	To           civil.Date              `json:"to"`
	Institutions []employmentFiguresJSON `json:"institutions"`
}

func toEmploymentReportJSON(r employment.Report) employmentReportJSON {
	out := employmentReportJSON{From: r.From, To: r.To, Institutions: make([]employmentFiguresJSON, len(r.Lines))}
	for i, l := range r.Lines {
		f := l.Figures
		out.Institutions[i] = employmentFiguresJSON{
			InstitutionID: l.InstitutionID, InstitutionName: l.InstitutionName, Trainees: f.Trainees, Unknown: f.Unknown,
			Employed3m: f.Employed3m, Employed6m: f.Employed6m, Rate3m: f.Rate3m, Rate6m: f.Rate6m,
			Retained6m: f.Retained6m, RetentionRate: f.RetentionRate,
		}
	}
	return out
}

var employmentColumns = []string{"institution_id", "institution_name", "trainees", "unknown", "employed_3m", "employed_6m",
	"rate_3m", "rate_6m", "retained_6m", "retention_rate"}

// employmentCSV writes the report as CSV (RFC 4180, CRLF line ends) after a UTF-8 BOM.
func employmentCSV(r employment.Report) []byte {
	var b bytes.Buffer
	b.WriteString(utf8BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	_ = w.Write(employmentColumns) // writes to a bytes.Buffer do not fail
	itoa := strconv.Itoa
	ftoa := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	for _, l := range r.Lines {
		f := l.Figures
		_ = w.Write([]string{l.InstitutionID, l.InstitutionName, itoa(f.Trainees), itoa(f.Unknown), itoa(f.Employed3m),
			itoa(f.Employed6m), ftoa(f.Rate3m), ftoa(f.Rate6m), itoa(f.Retained6m), ftoa(f.RetentionRate)})
	}
	w.Flush()
	return b.Bytes()
}

// getEmploymentEvaluation serves GET /admin/evaluation/employment?from=&to=[&format=csv]: the
// employment follow-up per institution of the trainees whose training ended in the period.
func getEmploymentEvaluation(log *slog.Logger, svc EmploymentEvaluator) gin.HandlerFunc {
	return func(c *gin.Context) {
		format, err := reportFormat(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		p, err := indicator.ParsePeriod(c.Query("from"), c.Query("to"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		report, err := svc.Evaluate(c.Request.Context(), p.From, p.To)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		if format == "csv" {
			c.Header("Content-Disposition", `attachment; filename="employment_`+p.From.String()+`_`+p.To.String()+`.csv"`)
			c.Data(http.StatusOK, "text/csv; charset=utf-8", employmentCSV(report))
			return
		}
		c.JSON(http.StatusOK, toEmploymentReportJSON(report))
	}
}
