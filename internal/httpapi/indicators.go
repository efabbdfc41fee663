package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/errs"
	"skillrecord/internal/indicator"
)

// IndicatorService computes the plan's indicator table (package indicator's Service).
type IndicatorService interface {
	Indicators(ctx context.Context, p indicator.Period) (indicator.Report, error)
}

type indicatorRowJSON struct {
	Key       string  `json:"key"`
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	Count     int64   `json:"count"`
	Value     float64 `json:"value"`
	Target    float64 `json:"target"`
	Attribute string  `json:"attribute"`
	Met       bool    `json:"met"`
}

type indicatorsJSON struct {
	From       string             `json:"from"`
	To         string             `json:"to"`
	Indicators []indicatorRowJSON `json:"indicators"`
	// SubsidyDisbursed is what each fund source paid in the period (资金拨付), when the funds
	// ledger is wired.
	SubsidyDisbursed []disbursedJSON `json:"subsidy_disbursed,omitempty"`
}

type disbursedJSON struct {
	Source        string `json:"source"`
	Disbursements int64  `json:"disbursements"`
	AmountCents   int64  `json:"amount_cents"`
}

func toIndicatorsJSON(r indicator.Report) indicatorsJSON {
	out := indicatorsJSON{From: r.Period.From.String(), To: r.Period.To.String(), Indicators: make([]indicatorRowJSON, len(r.Rows))}
	for i, row := range r.Rows {
		out.Indicators[i] = indicatorRowJSON{Key: string(row.Key), Name: row.Name, Unit: row.Unit, Count: row.Count,
			Value: row.Value, Target: row.Target, Attribute: row.Attribute, Met: row.Met}
	}
	return out
}

// indicatorColumns is the CSV header: the JSON field names of a row, in order.
var indicatorColumns = []string{"key", "name", "unit", "count", "value", "target", "attribute", "met"}

// utf8BOM starts the CSV so that Excel reads it as UTF-8 and shows the Chinese names.
const utf8BOM = "\ufeff"

// indicatorsCSV writes the rows as CSV (RFC 4180, CRLF line ends) after a UTF-8 BOM.
func indicatorsCSV(r indicator.Report) []byte {
	var b bytes.Buffer
	b.WriteString(utf8BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	_ = w.Write(indicatorColumns) // writes to a bytes.Buffer do not fail
	for _, row := range r.Rows {
		_ = w.Write([]string{
			string(row.Key), row.Name, row.Unit, strconv.FormatInt(row.Count, 10),
			strconv.FormatFloat(row.Value, 'f', -1, 64), strconv.FormatFloat(row.Target, 'f', -1, 64),
			row.Attribute, strconv.FormatBool(row.Met),
		})
	}
	w.Flush()
	return b.Bytes()
}

// reportFormat reads ?format=: json (the default) or csv.
func reportFormat(c *gin.Context) (string, error) {
	switch f := c.Query("format"); f {
	case "", "json":
		return "json", nil
	case "csv":
		return "csv", nil
	default:
		return "", errs.Invalid("invalid_format", "format must be json or csv").
			WithFields(errs.Field("format", "invalid_format", "json or csv"))
	}
}

// reportQuery reads a report's ?format= (reportFormat) and its period ?from=&to=
// (indicator.ParsePeriod), in that order.
func reportQuery(c *gin.Context) (string, indicator.Period, error) {
	format, err := reportFormat(c)
	if err != nil {
		return "", indicator.Period{}, err
	}
	p, err := indicator.ParsePeriod(c.Query("from"), c.Query("to"))
	return format, p, err
}

// getIndicators serves GET /admin/indicators?from=&to=&format=: the 专栏1 table, with the
// subsidy each fund source disbursed in the period (JSON only) when funds is set.
func getIndicators(log *slog.Logger, svc IndicatorService, funds FundService) gin.HandlerFunc {
	return func(c *gin.Context) {
		format, p, err := reportQuery(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		report, err := svc.Indicators(c.Request.Context(), p)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		if format == "csv" {
			c.Header("Content-Disposition", `attachment; filename="indicators_`+p.From.String()+`_`+p.To.String()+`.csv"`)
			c.Data(http.StatusOK, "text/csv; charset=utf-8", indicatorsCSV(report))
			return
		}
		out := toIndicatorsJSON(report)
		if funds != nil {
			ds, err := funds.DisbursedIn(c.Request.Context(), p.From.Time(), p.To.Time())
			if err != nil {
				respondError(c, log, err)
				return
			}
			out.SubsidyDisbursed = make([]disbursedJSON, len(ds))
			for i, d := range ds {
				out.SubsidyDisbursed[i] = disbursedJSON{Source: d.Source, Disbursements: d.Disbursements, AmountCents: int64(d.AmountCents)}
			}
		}
		c.JSON(http.StatusOK, out)
	}
}
