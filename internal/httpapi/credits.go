package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"skillrecord/internal/credit"
	"skillrecord/internal/page"
)

// Converter is the college's credit conversion use case.
type Converter interface {
	Convert(ctx context.Context, collegeID string, in credit.ConversionInput) (credit.ConversionRecord, bool, error)
}

// CreditReader reads a worker's ledger.
type CreditReader interface {
	EntriesPage(ctx context.Context, workerID string, beforeSeq int64, limit int) ([]credit.Entry, error)
}

type conversionRequest struct {
	ExternalID      string        `json:"external_id"`
	SSN             string        `json:"ssn"`
	Name            string        `json:"name"`
	Credits         credit.Tenths `json:"credits"`
	Program         string        `json:"program"`
	AcademicCredits float64       `json:"academic_credits"`
}

type conversionJSON struct {
	ID              string        `json:"id"`
	ExternalID      string        `json:"external_id"`
	Credits         credit.Tenths `json:"credits"`
	Program         string        `json:"program"`
	AcademicCredits float64       `json:"academic_credits"`
	BalanceAfter    credit.Tenths `json:"balance_after"`
	CreatedAt       time.Time     `json:"created_at"`
}

// postConversion serves POST /credit-conversions: 201 for a new conversion, 200 with the
// stored one for a retry of the same request.
func postConversion(log *slog.Logger, svc Converter) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req conversionRequest
		if err := bindJSON(c, &req); err != nil {
			respondError(c, log, err)
			return
		}
		rec, created, err := svc.Convert(c.Request.Context(), principalOf(c).OrgID, credit.ConversionInput{
			Conversion: credit.Conversion{ExternalID: req.ExternalID, Credits: req.Credits, Program: req.Program, AcademicCredits: req.AcademicCredits},
			SSN:        req.SSN, Name: req.Name,
		})
		if err != nil {
			respondError(c, log, err)
			return
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		c.JSON(status, conversionJSON{ID: rec.ID, ExternalID: rec.ExternalID, Credits: rec.Credits, Program: rec.Program,
			AcademicCredits: rec.AcademicCredits, BalanceAfter: rec.BalanceAfter, CreatedAt: rec.CreatedAt})
	}
}

type entryJSON struct {
	Seq            int64         `json:"seq"`
	Kind           string        `json:"kind"`
	Amount         credit.Tenths `json:"amount"`
	BalanceAfter   credit.Tenths `json:"balance_after"`
	RuleVersion    string        `json:"rule_version"`
	SourceType     string        `json:"source_type"`
	SourceID       string        `json:"source_id"`
	OccupationCode string        `json:"occupation_code,omitempty"`
	CreatedAt      time.Time     `json:"created_at"`
}

func toEntryJSON(e credit.Entry) entryJSON {
	return entryJSON{Seq: e.Seq, Kind: e.Kind, Amount: e.Amount, BalanceAfter: e.BalanceAfter, RuleVersion: e.RuleVersion,
		SourceType: e.SourceType, SourceID: e.SourceID, OccupationCode: e.OccupationCode, CreatedAt: e.CreatedAt}
}

// listMyCredits serves GET /me/credits: the worker's ledger entries, newest first.
func listMyCredits(log *slog.Logger, ledger CreditReader) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, before, ok := parseIDPage(c, log)
		if !ok {
			return
		}
		entries, err := ledger.EntriesPage(c.Request.Context(), principalOf(c).ID, before, p.Limit+1)
		if err != nil {
			respondError(c, log, err)
			return
		}
		res := page.Trim(entries, p.Limit, idKey(func(e credit.Entry) int64 { return e.Seq }))
		c.Header("Cache-Control", "private, no-store")
		c.JSON(http.StatusOK, toList(res, toEntryJSON))
	}
}
