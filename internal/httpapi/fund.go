package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/claim"
	"skillrecord/internal/fund"
	"skillrecord/internal/page"
)

// FundService is the bureau's fund use cases (package fund's Service).
type FundService interface {
	SetBudget(ctx context.Context, source, year string, in fund.BudgetInput) (fund.Budget, error)
	Figures(ctx context.Context, year string) ([]fund.Budget, error)
	Entries(ctx context.Context, source, year string, p page.Request, beforeSeq int64) (page.Result[fund.Entry], error)
	Verify(ctx context.Context) (fund.Check, error)
	DisbursedIn(ctx context.Context, from, to time.Time) ([]fund.Disbursed, error)
}

// Disburser pays approved claims (package claim's Service).
type Disburser interface {
	Disburse(ctx context.Context, id string, in claim.DisburseInput) (claim.Disbursement, claim.Outcome, error)
}

type paidLineJSON struct {
	LineID      string `json:"line_id"`
	AmountCents int64  `json:"amount_cents"`
}

type disbursementJSON struct {
	ID          string         `json:"id"`
	ClaimID     string         `json:"claim_id"`
	Reference   string         `json:"reference"`
	FundSource  string         `json:"fund_source"`
	Payee       string         `json:"payee"`
	Year        int            `json:"year"`
	AmountCents int64          `json:"amount_cents"`
	EntrySeq    int64          `json:"entry_seq"`
	Lines       []paidLineJSON `json:"lines"`
	CreatedAt   time.Time      `json:"created_at"`
}

func toDisbursementJSON(d claim.Disbursement) disbursementJSON {
	out := disbursementJSON{ID: d.ID, ClaimID: d.ClaimID, Reference: d.Reference, FundSource: d.Source, Payee: d.Payee,
		Year: d.Year, AmountCents: int64(d.AmountCents), EntrySeq: d.EntrySeq, Lines: []paidLineJSON{}, CreatedAt: d.CreatedAt}
	for _, l := range d.Lines {
		out.Lines = append(out.Lines, paidLineJSON{LineID: l.LineID, AmountCents: int64(l.AmountCents)})
	}
	return out
}

type budgetJSON struct {
	Source         string `json:"source"`
	Year           int    `json:"year"`
	BudgetCents    int64  `json:"budget_cents"`
	DisbursedCents int64  `json:"disbursed_cents"`
	BalanceCents   int64  `json:"balance_cents"`
	// Vouchers are the figures of the source's training voucher batches created in the year.
	Vouchers *voucherStatsJSON `json:"vouchers,omitempty"`
}

func toBudgetJSON(b fund.Budget) budgetJSON {
	return budgetJSON{Source: b.Source, Year: b.Year, BudgetCents: int64(b.BudgetCents),
		DisbursedCents: int64(b.DisbursedCents), BalanceCents: int64(b.Balance())}
}

type fundEntryJSON struct {
	Seq         int64     `json:"seq"`
	Source      string    `json:"source"`
	Year        int       `json:"year"`
	Kind        string    `json:"kind"`
	AmountCents int64     `json:"amount_cents"`
	ClaimID     string    `json:"claim_id,omitempty"`
	LineID      string    `json:"line_id,omitempty"`
	Reference   string    `json:"reference,omitempty"`
	Payee       string    `json:"payee,omitempty"`
	Hash        string    `json:"hash"`
	CreatedAt   time.Time `json:"created_at"`
}

func toFundEntryJSON(e fund.Entry) fundEntryJSON {
	return fundEntryJSON{Seq: e.Seq, Source: e.Source, Year: e.Year, Kind: e.Kind, AmountCents: int64(e.Amount),
		ClaimID: e.ClaimID, LineID: e.LineID, Reference: e.Reference, Payee: e.Payee, Hash: hex.EncodeToString(e.Hash),
		CreatedAt: e.CreatedAt}
}

// disburseClaim serves POST /admin/claims/{id}/disburse {fund_source, payee, reference}: 201
// with the disbursement, 200 with the first one when the reference was used for it before.
func disburseClaim(log *slog.Logger, svc Disburser) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in claim.DisburseInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		d, outcome, err := svc.Disburse(c.Request.Context(), c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		status := http.StatusOK
		if outcome == claim.Created {
			status = http.StatusCreated
		}
		c.JSON(status, toDisbursementJSON(d))
	}
}

// putBudget serves PUT /admin/funds/{source}/budgets/{year} {amount_cents}.
func putBudget(log *slog.Logger, svc FundService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in fund.BudgetInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		b, err := svc.SetBudget(c.Request.Context(), c.Param("source"), c.Param("year"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toBudgetJSON(b))
	}
}

type fundsJSON struct {
	Year  int          `json:"year"`
	Items []budgetJSON `json:"items"`
}

// getFunds serves GET /admin/funds?year=: each source's budget, payments and balance.
func getFunds(log *slog.Logger, svc FundService, vouchers VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		bs, err := svc.Figures(c.Request.Context(), c.Query("year"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		out := fundsJSON{Items: make([]budgetJSON, len(bs))}
		for i, b := range bs {
			out.Items[i], out.Year = toBudgetJSON(b), b.Year
		}
		if vouchers != nil && len(bs) > 0 {
			per, err := vouchers.BySource(c.Request.Context(), out.Year)
			if err != nil {
				respondError(c, log, err)
				return
			}
			for i := range out.Items {
				st := toVoucherStatsJSON(per[out.Items[i].Source])
				out.Items[i].Vouchers = &st
			}
		}
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, out)
	}
}

var fundEntryColumns = []string{"seq", "source", "year", "kind", "amount_cents", "claim_id", "line_id", "reference", "payee", "created_at", "hash"}

// listFundEntries serves GET /admin/funds/entries?source=&year=&format=: the ledger, newest
// first, one page (JSON) or the page as CSV with a BOM.
func listFundEntries(log *slog.Logger, svc FundService) gin.HandlerFunc {
	return func(c *gin.Context) {
		format, err := reportFormat(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		p, before, ok := parseIDPage(c, log)
		if !ok {
			return
		}
		res, err := svc.Entries(c.Request.Context(), c.Query("source"), c.Query("year"), p, before)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "no-store")
		if format == "csv" {
			var b bytes.Buffer
			b.WriteString(utf8BOM)
			w := csv.NewWriter(&b)
			w.UseCRLF = true
			_ = w.Write(fundEntryColumns) // writes to a bytes.Buffer do not fail
			for _, e := range res.Items {
				_ = w.Write([]string{strconv.FormatInt(e.Seq, 10), e.Source, strconv.Itoa(e.Year), e.Kind,
					strconv.FormatInt(int64(e.Amount), 10), e.ClaimID, e.LineID, e.Reference, e.Payee,
					e.CreatedAt.Format(time.RFC3339Nano), hex.EncodeToString(e.Hash)})
			}
			w.Flush()
			if res.NextCursor != "" {
				c.Header("X-Next-Cursor", res.NextCursor)
			}
			c.Header("Content-Disposition", `attachment; filename="fund_entries.csv"`)
			c.Data(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
			return
		}
		c.JSON(http.StatusOK, toList(res, toFundEntryJSON))
	}
}

type fundCheckJSON struct {
	Entries     int    `json:"entries"`
	Valid       bool   `json:"valid"`
	FirstBadSeq *int64 `json:"first_bad_seq"`
}

// verifyFunds serves POST /admin/funds/verify: {entries, valid, first_bad_seq} from
// recomputing the funds ledger's hash chain.
func verifyFunds(log *slog.Logger, svc FundService) gin.HandlerFunc {
	return func(c *gin.Context) {
		chk, err := svc.Verify(c.Request.Context())
		if err != nil {
			respondError(c, log, err)
			return
		}
		out := fundCheckJSON{Entries: chk.Entries, Valid: chk.Valid}
		if !chk.Valid {
			out.FirstBadSeq = &chk.FirstBadSeq
		}
		c.JSON(http.StatusOK, out)
	}
}
