package httpapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/credit"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
	"skillrecord/internal/sheet"
	"skillrecord/internal/training"
)

// TrainingService is the training-record use cases (package training's Service).
type TrainingService interface {
	Post(ctx context.Context, institutionID string, in training.Input) (training.Training, training.Outcome, error)
	PostBatch(ctx context.Context, institutionID string, inputs []training.Input, parseErrs ...errs.FieldError) ([]training.Result, error)
	List(ctx context.Context, institutionID string, f training.Filter, p page.Request) (page.Result[training.Training], error)
	Void(ctx context.Context, institutionID, id, reason string) (training.Training, error)
	ListForWorker(ctx context.Context, workerID string, p page.Request) (page.Result[training.Training], error)
}

// Media types of a batch body.
const (
	mediaJSON = "application/json"
	mediaCSV  = "text/csv"
	mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// trainingJSON is a stored training record as its institution and its worker see it. It holds
// no SSN or name: the record names its worker only by the registry link, which stays inside.
type trainingJSON struct {
	ID                 string        `json:"id"`
	ExternalID         string        `json:"external_id"`
	InstitutionID      string        `json:"institution_id"`
	CourseName         string        `json:"course_name"`
	TrainingType       string        `json:"training_type"`
	OccupationCode     string        `json:"occupation_code"`
	OccupationName     string        `json:"occupation_name,omitempty"`
	Level              *int          `json:"level,omitempty"`
	Hours              int           `json:"hours"`
	StartDate          training.Date `json:"start_date"`
	EndDate            training.Date `json:"end_date"`
	Result             string        `json:"result"`
	Subsidized         bool          `json:"subsidized"`
	SubsidyAmountCents *int64        `json:"subsidy_amount_cents,omitempty"`
	TraineeGroups      []string      `json:"trainee_groups"`
	ClassID            string        `json:"class_id,omitempty"`
	AttendanceRate     *float64      `json:"attendance_rate,omitempty"`
	Status             string        `json:"status"`
	VoidReason         string        `json:"void_reason,omitempty"`
	VoidedAt           *time.Time    `json:"voided_at,omitempty"`
	Credits            credit.Tenths `json:"credits"`
	CreatedAt          time.Time     `json:"created_at"`
}

func toTrainingJSON(t training.Training) trainingJSON {
	r := t.Record
	out := trainingJSON{
		ID: t.ID, ExternalID: r.ExternalID, InstitutionID: t.InstitutionID, CourseName: r.CourseName,
		TrainingType: r.TrainingType, OccupationCode: r.OccupationCode, OccupationName: r.OccupationName,
		Level: r.Level, Hours: r.Hours, StartDate: r.StartDate, EndDate: r.EndDate, Result: r.Result,
		Subsidized: r.Subsidized, SubsidyAmountCents: r.SubsidyAmountCents,
		TraineeGroups: append([]string{}, r.TraineeGroups...), Status: t.Status, VoidReason: t.VoidReason,
		ClassID: r.ClassID, AttendanceRate: r.AttendanceRate,
		Credits: t.NetCredits(), CreatedAt: t.CreatedAt,
	}
	if !t.VoidedAt.IsZero() {
		at := t.VoidedAt
		out.VoidedAt = &at
	}
	return out
}

type batchResultJSON struct {
	Index  int    `json:"index"`
	ID     string `json:"id"`
	Status string `json:"status"`
}

type batchJSON struct {
	Results []batchResultJSON `json:"results"`
}

// institutionOf is the calling institution; the access table admits only institution clients
// to these routes, so an empty id is a principal that should not be here.
func institutionOf(c *gin.Context) (string, error) {
	if id := principalOf(c).OrgID; id != "" {
		return id, nil
	}
	return "", errs.Forbidden("forbidden", "only a training institution's client may do this")
}

// postTraining serves POST /trainings: 201 with a new record, 200 with the stored one when an
// identical record was posted before.
func postTraining(log *slog.Logger, svc TrainingService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var in training.Input
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		t, outcome, err := svc.Post(c.Request.Context(), inst, in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		status := http.StatusOK
		if outcome == training.Created {
			status = http.StatusCreated
		}
		c.Header("Location", "/api/v1/trainings/"+t.ID)
		c.JSON(status, toTrainingJSON(t))
	}
}

// postTrainingBatch serves POST /trainings/batch: a JSON {records:[…]} body, or a CSV or
// XLSX spreadsheet (sent as such, as application/octet-stream or as a multipart form's file),
// of at most training.MaxBatch records, all or nothing. The errors of a spreadsheet name its
// rows and columns; with Accept: the XLSX type, a refused spreadsheet comes back as a workbook
// with a reason beside each bad row (respondBatchError).
func postTrainingBatch(log *slog.Logger, svc TrainingService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		// The whole body is read first, so that one over the limit is 413 whichever reader
		// would have noticed.
		up, err := readUpload(c, "batch")
		if err != nil {
			respondError(c, log, err)
			return
		}
		var (
			inputs    []training.Input
			parseErrs []errs.FieldError
			pos       *sheet.Positions
		)
		if up.JSON {
			inputs, err = training.ParseBatchJSON(bytes.NewReader(up.Body), training.MaxBatch)
		} else {
			inputs, parseErrs, pos, err = training.ParseBatchSheet(up.Body, up.Format, up.Charset, training.MaxBatch)
		}
		if err != nil {
			respondBatchError(c, log, err, up, pos, training.SheetHint)
			return
		}
		results, err := svc.PostBatch(c.Request.Context(), inst, inputs, parseErrs...)
		if err != nil {
			respondBatchError(c, log, err, up, pos, training.SheetHint)
			return
		}
		out := batchJSON{Results: make([]batchResultJSON, len(results))}
		for i, r := range results {
			out.Results[i] = batchResultJSON{Index: r.Index, ID: r.ID, Status: string(r.Status)}
		}
		noteBatch(c, out.Results)
		c.JSON(http.StatusOK, out)
	}
}

// listTrainings serves GET /trainings: the institution's own records, newest posting first,
// optionally only one status or one external_id.
func listTrainings(log *slog.Logger, svc TrainingService) gin.HandlerFunc {
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
		f := training.Filter{Status: c.Query("status"), ExternalID: strings.TrimSpace(c.Query("external_id"))}
		res, err := svc.List(c.Request.Context(), inst, f, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toList(res, toTrainingJSON))
	}
}

type voidRequest struct {
	Reason string `json:"reason"`
}

// voidTraining serves POST /trainings/{id}/void: 200 with the voided record.
func voidTraining(log *slog.Logger, svc TrainingService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var req voidRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		t, err := svc.Void(c.Request.Context(), inst, c.Param("id"), req.Reason)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toTrainingJSON(t))
	}
}

// listMyTrainings serves GET /me/trainings: the records posted for the calling worker, the
// latest end date first.
func listMyTrainings(log *slog.Logger, svc TrainingService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.ListForWorker(c.Request.Context(), principalOf(c).ID, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, toTrainingJSON))
	}
}
