package httpapi

import (
	"bytes"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/audit"
	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
	"skillrecord/internal/sheet"
)

type certificateResultJSON struct {
	Index  int    `json:"index"`
	No     string `json:"certificate_no"`
	Status string `json:"status"`
}

type certificateBatchJSON struct {
	Results []certificateResultJSON `json:"results"`
}

// issueCertificateBatch serves POST /certificates/batch: a JSON {certificates:[…]} body, or a
// CSV or XLSX spreadsheet (as for the training batch), of at most certificate.MaxBatch
// certificates, all or nothing; 200 with one result per row.
func issueCertificateBatch(log *slog.Logger, svc CertificateService) gin.HandlerFunc {
	return func(c *gin.Context) {
		up, err := readUpload(c, "certificates")
		if err != nil {
			respondError(c, log, err)
			return
		}
		var (
			inputs    []certificate.Input
			parseErrs []errs.FieldError
			pos       *sheet.Positions
		)
		if up.JSON {
			inputs, err = certificate.ParseBatchJSON(bytes.NewReader(up.Body), certificate.MaxBatch)
		} else {
			inputs, parseErrs, pos, err = certificate.ParseBatchSheet(up.Body, up.Format, up.Charset, certificate.MaxBatch)
		}
		if err != nil {
			respondBatchError(c, log, err, up, pos, certificate.SheetHint)
			return
		}
		p := principalOf(c)
		results, err := svc.IssueBatch(c.Request.Context(), p.OrgID, string(p.Role), inputs, parseErrs...)
		if err != nil {
			respondBatchError(c, log, err, up, pos, certificate.SheetHint)
			return
		}
		out := certificateBatchJSON{Results: make([]certificateResultJSON, len(results))}
		for i, r := range results {
			out.Results[i] = certificateResultJSON{Index: r.Index, No: r.No, Status: string(r.Status)}
			if r.Status == certificate.Created {
				audit.Touch(c.Request.Context(), r.WorkerID)
			}
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
	}
}
