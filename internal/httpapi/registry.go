package httpapi

import (
	"context"
	"errors"
	"io"
	"iter"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
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
	Index int    `json:"index"`
	Field string `json:"field"`
	Code  string `json:"code"`
}

// importCardholders serves POST /admin/cardholders/import: a text/csv or application/json body,
// read as a stream, answered 200 with the counts and the refused rows (index, field and code;
// never a value).
func importCardholders(log *slog.Logger, svc CardholderImporter, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		rows, err := importRows(c.GetHeader("Content-Type"), c.Request.Body)
		if err != nil {
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
			out.Errors[i] = importRowError(e)
		}
		c.JSON(http.StatusOK, out)
	}
}

// importRows picks the reader for the body's media type: text/csv (UTF-8) or application/json.
func importRows(contentType string, body io.Reader) (iter.Seq2[worker.ImportRow, error], error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, errs.Unsupported("unsupported_media_type", "send the cardholders as text/csv or application/json")
	}
	switch mt {
	case "text/csv":
		if cs := params["charset"]; cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
			return nil, errs.Unsupported("unsupported_media_type", "a CSV import must be encoded in UTF-8")
		}
		return worker.ReadCSV(body), nil
	case "application/json":
		return worker.ReadJSON(body), nil
	}
	return nil, errs.Unsupported("unsupported_media_type", "send the cardholders as text/csv or application/json")
}

// readError turns a body that went over its limit, discovered while streaming, into 413.
func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyError(mbe)
	}
	return err
}
