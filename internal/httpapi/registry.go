package httpapi

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/sheet"
	"skillrecord/internal/worker"
)

// CardholderImporter imports the cardholder registry (package worker's Service).
type CardholderImporter interface {
	Import(ctx context.Context, rows iter.Seq2[worker.ImportRow, error], now time.Time) (worker.ImportResult, error)
}

type importResponse struct {
	Imported int              `json:"imported"`
	Updated  int              `json:"updated"`
	Errors   []importRowError `json:"errors"`
}

type importRowError struct {
	Index  int    `json:"index"`
	Field  string `json:"field"`
	Code   string `json:"code"`
	Row    *int   `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
}

// importCardholders serves POST /admin/cardholders/import: an application/json body, or a CSV
// or XLSX spreadsheet (sent as such, as application/octet-stream or as a multipart form's
// file), answered 200 with the counts and the refused rows (index, field and code, and for a
// spreadsheet the sheet's row number and column header; never a value).
func importCardholders(log *slog.Logger, svc CardholderImporter, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.GetHeader("Content-Type") == "" {
			respondError(c, log, unsupportedUpload("cardholders"))
			return
		}
		up, err := readUpload(c, "cardholders")
		if err != nil {
			respondError(c, log, err)
			return
		}
		var (
			rows iter.Seq2[worker.ImportRow, error]
			pos  *sheet.Positions
		)
		if up.JSON {
			rows = worker.ReadJSON(bytes.NewReader(up.Body))
		} else if rows, pos, err = worker.ReadSheet(up.Body, up.Format, up.Charset); err != nil {
			respondError(c, log, err)
			return
		}
		res, err := svc.Import(c.Request.Context(), rows, now())
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

// readError turns a body that went over its limit, discovered while streaming, into 413.
func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyError(mbe)
	}
	return err
}
