package httpapi

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/civil"
	"skillrecord/internal/claim"
)

type subsidyJSON struct {
	LineID      string      `json:"line_id"`
	CourseName  string      `json:"course_name"`
	ClassID     string      `json:"class_id"`
	AmountCents int64       `json:"amount_cents"`
	Status      string      `json:"status"`
	FundSource  string      `json:"fund_source,omitempty"`
	DisbursedOn *civil.Date `json:"disbursed_on,omitempty"`
}

func toSubsidyJSON(loc *time.Location) func(claim.Subsidy) subsidyJSON {
	return func(s claim.Subsidy) subsidyJSON {
		return subsidyJSON{LineID: s.LineID, CourseName: s.CourseName, ClassID: s.ClassID, AmountCents: int64(s.AmountCents),
			Status: s.Status(), FundSource: s.FundSource, DisbursedOn: s.DisbursedOn(loc)}
	}
}

// listMySubsidies serves GET /me/subsidies: the subsidy claim lines in the calling worker's
// name, newest first.
func listMySubsidies(log *slog.Logger, svc ClaimService) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := parsePage(c, log)
		if !ok {
			return
		}
		res, err := svc.Subsidies(c.Request.Context(), principalOf(c).ID, p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, toSubsidyJSON(svc.BureauLocation())))
	}
}
