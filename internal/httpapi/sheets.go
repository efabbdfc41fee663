package httpapi

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

// respondBatchError answers a refused batch. The field errors of a spreadsheet get its row
// numbers and column headers (pos.Place, with hint's advice). When the request's Accept prefers
// the XLSX type and the file was refused for its rows (422), the answer is the uploaded sheet
// as a workbook with a 错误原因 column beside each bad row, in Chinese; everything else is
// problem+json.
func respondBatchError(c *gin.Context, log *slog.Logger, err error, up upload, pos *sheet.Positions, hint sheet.Hint) {
	err = pos.Place(err, hint)
	e := errs.As(err)
	if pos == nil || up.JSON || e == nil || e.Kind != errs.KindInvalid || !wantsXLSX(c.GetHeader("Accept")) {
		respondError(c, log, err)
		return
	}
	reasons := zhReasons(e.Fields)
	if len(reasons) == 0 {
		respondError(c, log, err)
		return
	}
	book, aerr := sheet.Annotate(up.Body, up.Format, up.Charset, pos.HeaderRow, reasons)
	if aerr != nil {
		respondError(c, log, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="refused-rows.xlsx"; filename*=UTF-8''%E9%94%99%E8%AF%AF%E5%8E%9F%E5%9B%A0.xlsx`)
	c.Header("Cache-Control", "no-store")
	c.Header("X-Problem-Code", e.Code)
	c.Data(http.StatusUnprocessableEntity, mediaXLSX, book)
	c.Abort()
}
