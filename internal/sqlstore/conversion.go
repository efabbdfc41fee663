package sqlstore

import (
	"context"
	"time"

	"skillrecord/internal/audit"
	"skillrecord/internal/credit"
)

var _ credit.ConversionStore = (*DB)(nil)

type conversionRow struct {
	ID              string
	CollegeID       string
	ExternalID      string
	WorkerID        string
	Credits         int64
	Program         string
	AcademicCredits float64
	BalanceAfter    int64
	CreatedAt       time.Time
}

func (conversionRow) TableName() string { return "credit_conversions" }

// CreateConversion stores a conversion; a repeated (college, external id) is a Conflict.
func (db *DB) CreateConversion(ctx context.Context, c credit.ConversionRecord) error {
	row := conversionRow{ID: c.ID, CollegeID: c.CollegeID, ExternalID: c.ExternalID, WorkerID: c.WorkerID,
		Credits: int64(c.Credits), Program: c.Program, AcademicCredits: c.AcademicCredits,
		BalanceAfter: int64(c.BalanceAfter), CreatedAt: c.CreatedAt}
	audit.Touch(ctx, c.WorkerID) // for the audit event committed with the conversion
	return translate(db.conn(ctx).Create(&row).Error)
}

// ConversionByExternalID finds a college's conversion by its own id.
func (db *DB) ConversionByExternalID(ctx context.Context, collegeID, externalID string) (credit.ConversionRecord, error) {
	var r conversionRow
	if err := db.conn(ctx).Where("college_id = ? AND external_id = ?", collegeID, externalID).Take(&r).Error; err != nil {
		return credit.ConversionRecord{}, translate(err)
	}
	return credit.ConversionRecord{ID: r.ID, CollegeID: r.CollegeID, ExternalID: r.ExternalID, WorkerID: r.WorkerID,
		Credits: credit.Tenths(r.Credits), Program: r.Program, AcademicCredits: r.AcademicCredits,
		BalanceAfter: credit.Tenths(r.BalanceAfter), CreatedAt: r.CreatedAt.UTC()}, nil
}
