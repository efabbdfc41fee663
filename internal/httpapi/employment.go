package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"iter"
	"log/slog"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/civil"
	"skillrecord/internal/employment"
	"skillrecord/internal/sheet"
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

// importEmployment serves POST /admin/employment/import: an application/json body
// {spells:[…]}, or a CSV or XLSX spreadsheet (sent as such, as application/octet-stream or as a
// multipart form's file), answered 200 with the counts and the refused rows (index, field and
// code, and for a spreadsheet the sheet's row number and column header; never a value).
func importEmployment(log *slog.Logger, svc EmploymentImporter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.GetHeader("Content-Type") == "" {
			respondError(c, log, unsupportedUpload("employment spells"))
			return
		}
		up, err := readUpload(c, "employment spells")
		if err != nil {
			respondError(c, log, err)
			return
		}
		var (
			rows iter.Seq2[employment.ImportRow, error]
			pos  *sheet.Positions
		)
		if up.JSON {
			rows = worker.ReadJSONOf(bytes.NewReader(up.Body), employment.Table)
		} else if rows, pos, err = employment.ReadSheet(up.Body, up.Format, up.Charset); err != nil {
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
			if pos != nil && e.Index < len(pos.Lines) {
				row := pos.Lines[e.Index]
				out.Errors[i].Row, out.Errors[i].Column = &row, pos.Labels[e.Field]
			}
		}
		c.JSON(http.StatusOK, out)
	}
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

type employmentClassFiguresJSON struct {
	InstitutionID   string `json:"institution_id"`
	InstitutionName string `json:"institution_name"`
	ClassID         string `json:"class_id"`
	CourseName      string `json:"course_name"`
	employmentFiguresJSON
}

type employmentReportJSON struct {
	From         civil.Date                   `json:"from"`
	To           civil.Date                   `json:"to"`
	Institutions []employmentFiguresJSON      `json:"institutions"`
	Classes      []employmentClassFiguresJSON `json:"classes"`
}

func toEmploymentFiguresJSON(l employment.ReportLine) employmentFiguresJSON {
	f := l.Figures
	return employmentFiguresJSON{
		InstitutionID: l.InstitutionID, InstitutionName: l.InstitutionName, Trainees: f.Trainees, Unknown: f.Unknown,
		Employed3m: f.Employed3m, Employed6m: f.Employed6m, Rate3m: f.Rate3m, Rate6m: f.Rate6m,
		Retained6m: f.Retained6m, RetentionRate: f.RetentionRate,
	}
}

func toEmploymentReportJSON(r employment.Report) employmentReportJSON {
	out := employmentReportJSON{From: r.From, To: r.To, Institutions: make([]employmentFiguresJSON, len(r.Institutions)),
		Classes: make([]employmentClassFiguresJSON, len(r.Classes))}
	for i, l := range r.Institutions {
		out.Institutions[i] = toEmploymentFiguresJSON(l)
	}
	for i, l := range r.Classes {
		out.Classes[i] = employmentClassFiguresJSON{InstitutionID: l.InstitutionID, InstitutionName: l.InstitutionName,
			ClassID: l.ClassID, CourseName: l.CourseName, employmentFiguresJSON: toEmploymentFiguresJSON(l)}
	}
	return out
}

var employmentColumns = []string{"institution_id", "institution_name", "class_id", "course_name", "trainees", "unknown",
	"employed_3m", "employed_6m", "rate_3m", "rate_6m", "retained_6m", "retention_rate"}

// employmentCSV writes the report as CSV (RFC 4180, CRLF line ends) after a UTF-8 BOM: the
// institutions' rows (class_id and course_name empty), then the classes' rows.
func employmentCSV(r employment.Report) []byte {
	var b bytes.Buffer
	b.WriteString(utf8BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	_ = w.Write(employmentColumns) // writes to a bytes.Buffer do not fail
	itoa := strconv.Itoa
	ftoa := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	for _, l := range slices.Concat(r.Institutions, r.Classes) {
		f := l.Figures
		_ = w.Write([]string{l.InstitutionID, l.InstitutionName, l.ClassID, l.CourseName, itoa(f.Trainees), itoa(f.Unknown),
			itoa(f.Employed3m), itoa(f.Employed6m), ftoa(f.Rate3m), ftoa(f.Rate6m), itoa(f.Retained6m), ftoa(f.RetentionRate)})
	}
	w.Flush()
	return b.Bytes()
}

// getEmploymentEvaluation serves GET /admin/evaluation/employment?from=&to=[&format=csv]: the
// employment follow-up per institution and per class of the trainees whose training ended in the period.
func getEmploymentEvaluation(log *slog.Logger, svc EmploymentEvaluator) gin.HandlerFunc {
	return func(c *gin.Context) {
		format, p, err := reportQuery(c)
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
