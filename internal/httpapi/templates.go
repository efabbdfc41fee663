package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
)

// templateBuilder builds an import template for the day (its sample dates lie before it).
type templateBuilder func(today time.Time) ([]byte, error)

// getTemplate serves GET /templates/{kind}.xlsx: the XLSX template of an import, with its
// Chinese headers, a sample row and drop-down lists, as an attachment named file.
func getTemplate(log *slog.Logger, build templateBuilder, file string, now func() time.Time) gin.HandlerFunc {
	return func(c *gin.Context) {
		book, err := build(now().In(certificateZone))
		if err != nil {
			respondError(c, log, errs.Internal(err, "build the %s template", file))
			return
		}
		c.Header("Content-Disposition", `attachment; filename="`+file+`"`)
		c.Header("Cache-Control", "private, max-age=3600")
		c.Data(http.StatusOK, mediaXLSX, book)
	}
}
