package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/civil"
	"skillrecord/internal/voucher"
)

// VoucherService is the training voucher use cases (package voucher's Service).
type VoucherService interface {
	CreateBatch(ctx context.Context, in voucher.BatchInput) (voucher.Batch, voucher.Outcome, error)
	Batches(ctx context.Context) ([]voucher.Batch, error)
	Batch(ctx context.Context, key string) (voucher.Batch, error)
	CloseBatch(ctx context.Context, key string) (voucher.Batch, error)
	Stats(ctx context.Context, key string) (voucher.Batch, voucher.Stats, error)
	Available(ctx context.Context, workerID string) ([]voucher.Batch, error)
	Claim(ctx context.Context, workerID string, in voucher.ClaimInput) (voucher.Voucher, error)
	Mine(ctx context.Context, workerID string) ([]voucher.Voucher, error)
	Code(ctx context.Context, workerID, id string) (voucher.Code, error)
	Accept(ctx context.Context, workerID, id string) (voucher.Voucher, voucher.Outcome, error)
	Use(ctx context.Context, institutionID, classID string, in voucher.UseInput) (voucher.Voucher, voucher.Outcome, error)
	BySource(ctx context.Context, year int) (map[string]voucher.Stats, error)
}

type eligibleJSON struct {
	TraineeGroups   []string `json:"trainee_groups"`
	OccupationCodes []string `json:"occupation_codes"`
	InstitutionIDs  []string `json:"institution_ids"`
	CardAreas       []string `json:"card_areas"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type voucherBatchJSON struct {
	Key            string       `json:"key"`
	Name           string       `json:"name"`
	Kind           string       `json:"kind"`
	SubsidyItem    string       `json:"subsidy_item"`
	FaceValueCents int64        `json:"face_value_cents"`
	ValidDays      int          `json:"valid_days"`
	Quantity       int          `json:"quantity"`
	Issued         int          `json:"issued"`
	FundSource     string       `json:"fund_source"`
	Eligible       eligibleJSON `json:"eligible"`
	Status         string       `json:"status"`
	ClosedAt       *time.Time   `json:"closed_at,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
}

func toVoucherBatchJSON(b voucher.Batch) voucherBatchJSON {
	e := b.Eligible
	return voucherBatchJSON{Key: b.Key, Name: b.Name, Kind: b.Kind, SubsidyItem: b.SubsidyItem,
		FaceValueCents: int64(b.FaceValueCents), ValidDays: b.ValidDays, Quantity: b.Quantity, Issued: b.Issued,
		FundSource: b.FundSource, Eligible: eligibleJSON{TraineeGroups: nonNil(e.TraineeGroups),
			OccupationCodes: nonNil(e.OccupationCodes), InstitutionIDs: nonNil(e.InstitutionIDs), CardAreas: nonNil(e.CardAreas)},
		Status: b.Status, ClosedAt: instant(b.ClosedAt), CreatedAt: b.CreatedAt}
}

type voucherScopeJSON struct {
	SubsidyItem     string   `json:"subsidy_item"`
	OccupationCodes []string `json:"occupation_codes"`
	InstitutionIDs  []string `json:"institution_ids"`
}

type voucherJSON struct {
	ID             string           `json:"id"`
	BatchKey       string           `json:"batch_key"`
	Kind           string           `json:"kind"`
	State          string           `json:"state"`
	FaceValueCents int64            `json:"face_value_cents"`
	Scope          voucherScopeJSON `json:"scope"`
	ExpiresOn      civil.Date       `json:"expires_on"`
	ClassID        string           `json:"class_id,omitempty"`
	UsedAt         *time.Time       `json:"used_at,omitempty"`
	CreatedAt      time.Time        `json:"created_at"`
}

func toVoucherJSON(v voucher.Voucher) voucherJSON {
	return voucherJSON{ID: v.ID, BatchKey: v.BatchKey, Kind: v.Kind, State: v.State, FaceValueCents: int64(v.FaceValueCents),
		Scope: voucherScopeJSON{SubsidyItem: v.Scope.SubsidyItem, OccupationCodes: nonNil(v.Scope.OccupationCodes),
			InstitutionIDs: nonNil(v.Scope.InstitutionIDs)},
		ExpiresOn: v.ExpiresOn, ClassID: v.ClassID, UsedAt: instant(v.UsedAt), CreatedAt: v.CreatedAt}
}

type itemsJSON[T any] struct {
	Items []T `json:"items"`
}

func mapItems[A, B any](in []A, f func(A) B) itemsJSON[B] {
	out := itemsJSON[B]{Items: make([]B, len(in))}
	for i, a := range in {
		out.Items[i] = f(a)
	}
	return out
}

func createdOr(o voucher.Outcome) int {
	if o == voucher.Created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// createVoucherBatch serves POST /admin/voucher-batches: 201 with the batch, 200 for the same
// batch again.
func createVoucherBatch(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in voucher.BatchInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		b, o, err := svc.CreateBatch(c.Request.Context(), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(createdOr(o), toVoucherBatchJSON(b))
	}
}

// listVoucherBatches serves GET /admin/voucher-batches: every batch, newest first.
func listVoucherBatches(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		bs, err := svc.Batches(c.Request.Context())
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, mapItems(bs, toVoucherBatchJSON))
	}
}

// getVoucherBatch serves GET /admin/voucher-batches/{key}.
func getVoucherBatch(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, err := svc.Batch(c.Request.Context(), c.Param("key"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toVoucherBatchJSON(b))
	}
}

// closeVoucherBatch serves POST /admin/voucher-batches/{key}/close.
func closeVoucherBatch(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, err := svc.CloseBatch(c.Request.Context(), c.Param("key"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toVoucherBatchJSON(b))
	}
}

type voucherStatsJSON struct {
	Issued       int     `json:"issued"`
	Claimed      int     `json:"claimed"`
	Used         int     `json:"used"`
	Settled      int     `json:"settled"`
	Expired      int     `json:"expired"`
	Cancelled    int     `json:"cancelled"`
	SettledCents int64   `json:"settled_cents"`
	UseRate      float64 `json:"use_rate"`
}

func toVoucherStatsJSON(st voucher.Stats) voucherStatsJSON {
	return voucherStatsJSON{Issued: st.Issued, Claimed: st.Claimed, Used: st.Used, Settled: st.Settled,
		Expired: st.Expired, Cancelled: st.Cancelled, SettledCents: int64(st.SettledCents), UseRate: st.UseRate()}
}

// voucherBatchStats serves GET /admin/voucher-batches/{key}/stats (?format=csv: one row after
// a UTF-8 BOM).
func voucherBatchStats(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, st, err := svc.Stats(c.Request.Context(), c.Param("key"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		j := toVoucherStatsJSON(st)
		if c.Query("format") != "csv" {
			c.JSON(http.StatusOK, j)
			return
		}
		var buf bytes.Buffer
		buf.WriteString(utf8BOM)
		w := csv.NewWriter(&buf)
		w.UseCRLF = true
		itoa := strconv.Itoa
		_ = w.Write([]string{"batch_key", "issued", "claimed", "used", "settled", "expired", "cancelled", "settled_cents", "use_rate"})
		_ = w.Write([]string{b.Key, itoa(j.Issued), itoa(j.Claimed), itoa(j.Used), itoa(j.Settled), itoa(j.Expired),
			itoa(j.Cancelled), strconv.FormatInt(j.SettledCents, 10), strconv.FormatFloat(j.UseRate, 'f', -1, 64)})
		w.Flush()
		c.Header("Content-Disposition", `attachment; filename="voucher-batch-stats.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
}

// availableVouchers serves GET /me/vouchers/available: the open general batches the worker
// may claim from.
func availableVouchers(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		bs, err := svc.Available(c.Request.Context(), principalOf(c).ID)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, mapItems(bs, toVoucherBatchJSON))
	}
}

// claimVoucher serves POST /me/vouchers {batch_key}: 201 with the claimed voucher.
func claimVoucher(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in voucher.ClaimInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		v, err := svc.Claim(c.Request.Context(), principalOf(c).ID, in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusCreated, toVoucherJSON(v))
	}
}

// listMyVouchers serves GET /me/vouchers: the worker's vouchers, newest first.
func listMyVouchers(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		vs, err := svc.Mine(c.Request.Context(), principalOf(c).ID)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, mapItems(vs, toVoucherJSON))
	}
}

// voucherCode serves GET /me/vouchers/{id}/code: {code, expires_at}, good for 5 minutes.
func voucherCode(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		code, err := svc.Code(c.Request.Context(), principalOf(c).ID, c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, gin.H{"code": code.Code, "expires_at": code.ExpiresAt})
	}
}

// acceptVoucher serves POST /me/vouchers/{id}/accept: a directed voucher becomes used.
func acceptVoucher(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, _, err := svc.Accept(c.Request.Context(), principalOf(c).ID, c.Param("id"))
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(http.StatusOK, toVoucherJSON(v))
	}
}

// useVoucher serves POST /classes/{id}/vouchers {code}: 201 with the used voucher, 200 for the
// same voucher on the same class again.
func useVoucher(log *slog.Logger, svc VoucherService) gin.HandlerFunc {
	return func(c *gin.Context) {
		inst, err := institutionOf(c)
		if err != nil {
			respondError(c, log, err)
			return
		}
		var in voucher.UseInput
		if err := bindJSON(c, &in); err != nil {
			respondError(c, log, err)
			return
		}
		v, o, err := svc.Use(c.Request.Context(), inst, c.Param("id"), in)
		if err != nil {
			respondError(c, log, err)
			return
		}
		c.JSON(createdOr(o), toVoucherJSON(v))
	}
}
