package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/dispute"
)

// DisputeStore keeps workers' disputes (table disputes) and reads whose a disputed training
// record or claim line is.
type DisputeStore struct{ db *DB }

var _ dispute.Store = (*DisputeStore)(nil)

// Disputes returns the dispute store on db.
func (db *DB) Disputes() *DisputeStore { return &DisputeStore{db: db} }

type disputeRow struct {
	ID            string
	WorkerID      string
	Subject       string
	SubjectID     string
	InstitutionID string
	Reason        string
	Status        string
	ResolveReason string
	ResolvedAt    sql.NullTime
	CreatedAt     time.Time
}

func (disputeRow) TableName() string { return "disputes" }

func fromDisputeRow(r disputeRow) dispute.Dispute {
	return dispute.Dispute{ID: r.ID, WorkerID: r.WorkerID, Subject: r.Subject, SubjectID: r.SubjectID,
		InstitutionID: r.InstitutionID, Reason: r.Reason, Status: r.Status, ResolveReason: r.ResolveReason,
		ResolvedAt: timeOf(r.ResolvedAt), CreatedAt: r.CreatedAt.UTC()}
}

// WithTx runs fn in one transaction, retried after a deadlock when it is one of its own.
func (s *DisputeStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Trainings().WithTx(ctx, fn)
}

// TrainingOwner returns the training record's worker and institution.
func (s *DisputeStore) TrainingOwner(ctx context.Context, trainingID string) (dispute.Owner, error) {
	var r struct{ WorkerID, InstitutionID string }
	if err := s.db.conn(ctx).Table("trainings").Select("worker_id", "institution_id").Where("id = ?", trainingID).Take(&r).Error; err != nil {
		return dispute.Owner{}, translate(err)
	}
	return dispute.Owner{WorkerID: r.WorkerID, InstitutionID: r.InstitutionID, TrainingID: trainingID}, nil
}

// LineOwner returns the claim line's worker, its claim's institution and its training record.
func (s *DisputeStore) LineOwner(ctx context.Context, lineID string) (dispute.Owner, error) {
	var r struct {
		WorkerID      string
		InstitutionID string
		TrainingID    sql.NullString
	}
	err := s.db.conn(ctx).Table("subsidy_claim_lines AS l").Select("l.worker_id", "c.institution_id", "l.training_id").
		Joins("JOIN subsidy_claims AS c ON c.id = l.claim_id").Where("l.id = ?", lineID).Take(&r).Error
	if err != nil {
		return dispute.Owner{}, translate(err)
	}
	return dispute.Owner{WorkerID: r.WorkerID, InstitutionID: r.InstitutionID, TrainingID: r.TrainingID.String}, nil
}

// OpenDisputes counts the worker's open disputes of the subject.
func (s *DisputeStore) OpenDisputes(ctx context.Context, workerID, subject, subjectID string) (int, error) {
	var n int64
	err := s.db.conn(ctx).Model(&disputeRow{}).Where("worker_id = ? AND subject = ? AND subject_id = ? AND status = ?",
		workerID, subject, subjectID, dispute.StatusOpen).Count(&n).Error
	return int(n), translate(err)
}

// AddDispute stores a dispute.
func (s *DisputeStore) AddDispute(ctx context.Context, d dispute.Dispute) error {
	row := disputeRow{ID: d.ID, WorkerID: d.WorkerID, Subject: d.Subject, SubjectID: d.SubjectID,
		InstitutionID: d.InstitutionID, Reason: d.Reason, Status: d.Status, CreatedAt: d.CreatedAt}
	return translate(s.db.conn(ctx).Create(&row).Error)
}

// LockDispute reads a dispute and locks it until the transaction ends.
func (s *DisputeStore) LockDispute(ctx context.Context, id string) (dispute.Dispute, error) {
	q := s.db.conn(ctx).Where("id = ?", id)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var row disputeRow
	if err := q.Take(&row).Error; err != nil {
		return dispute.Dispute{}, translate(err)
	}
	return fromDisputeRow(row), nil
}

// SaveDispute stores a dispute's status and resolution.
func (s *DisputeStore) SaveDispute(ctx context.Context, d dispute.Dispute) error {
	return translate(s.db.conn(ctx).Model(&disputeRow{}).Where("id = ?", d.ID).Updates(map[string]any{
		"status": d.Status, "resolve_reason": d.ResolveReason, "resolved_at": nullTime(d.ResolvedAt),
	}).Error)
}

// Disputes returns disputes matching f, newest first.
func (s *DisputeStore) Disputes(ctx context.Context, f dispute.Filter, after *dispute.Position, limit int) ([]dispute.Dispute, error) {
	q := s.db.conn(ctx).Model(&disputeRow{})
	if f.WorkerID != "" {
		q = q.Where("worker_id = ?", f.WorkerID)
	}
	if f.InstitutionID != "" {
		q = q.Where("institution_id = ?", f.InstitutionID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", after.At, after.At, after.ID)
	}
	var rows []disputeRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]dispute.Dispute, len(rows))
	for i, r := range rows {
		out[i] = fromDisputeRow(r)
	}
	return out, nil
}
