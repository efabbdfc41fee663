package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/claim"
)

// WorkerSubsidies returns the claim lines in the worker's name, newest first, with the
// class's course, the claim's status, any payment and any reversal owed.
func (s *ClaimStore) WorkerSubsidies(ctx context.Context, workerID string, after *claim.Position, limit int) ([]claim.Subsidy, error) {
	q := s.db.conn(ctx).Table("subsidy_claim_lines AS l").
		Select("l.id AS line_id, l.amount_cents, l.eligible, l.held, l.created_at, c.class_id, c.status AS claim_status, "+
			"cl.course_name, d.source AS fund_source, d.created_at AS disbursed_at, "+
			"(SELECT COUNT(*) FROM fund_entries e WHERE e.line_id = l.id AND e.kind = 'reversal_owed') AS reversals").
		Joins("JOIN subsidy_claims AS c ON c.id = l.claim_id").
		Joins("JOIN classes AS cl ON cl.id = c.class_id").
		Joins("LEFT JOIN fund_disbursed_lines AS dl ON dl.line_id = l.id").
		Joins("LEFT JOIN fund_disbursements AS d ON d.id = dl.disbursement_id").
		Where("l.worker_id = ?", workerID)
	if after != nil {
		q = q.Where("l.created_at < ? OR (l.created_at = ? AND l.id < ?)", after.At, after.At, after.ID)
	}
	var rows []struct {
		LineID      string
		AmountCents int64
		Eligible    bool
		Held        bool
		CreatedAt   time.Time
		ClassID     string
		ClaimStatus string
		CourseName  string
		FundSource  sql.NullString
		DisbursedAt sql.NullTime
		Reversals   int
	}
	if err := q.Order("l.created_at DESC, l.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Subsidy, len(rows))
	for i, r := range rows {
		out[i] = claim.Subsidy{LineID: r.LineID, ClassID: r.ClassID, CourseName: r.CourseName,
			AmountCents: claim.Cents(r.AmountCents), Eligible: r.Eligible, Held: r.Held, ClaimStatus: r.ClaimStatus,
			FundSource: r.FundSource.String, DisbursedAt: timeOf(r.DisbursedAt), Reversed: r.Reversals > 0,
			CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// LockLines reads and locks the lines of the training record and the line with the id.
func (s *ClaimStore) LockLines(ctx context.Context, trainingID, lineID string) ([]claim.Line, error) {
	q := s.db.conn(ctx).Where("(training_id = ? AND training_id <> '') OR id = ?", trainingID, lineID)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var rows []claimLineRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Line, len(rows))
	for i, r := range rows {
		out[i] = fromLineRow(r)
	}
	return out, nil
}

// HoldLine marks a line held.
func (s *ClaimStore) HoldLine(ctx context.Context, lineID string) error {
	return translate(s.db.conn(ctx).Model(&claimLineRow{}).Where("id = ?", lineID).Update("held", true).Error)
}
