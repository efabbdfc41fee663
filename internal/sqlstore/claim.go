package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/civil"
	"skillrecord/internal/claim"
	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/keys"
	"skillrecord/internal/pii"
)

// ClaimStore keeps subsidy claims (subsidy_claims, subsidy_claim_lines), their public
// notices (subsidy_notices) and objections (subsidy_objections). Lines name their worker by
// the registry's opaque id; the SSNs and names read back come from the registry, opened with
// the data keyring, which also seals an objection's contact.
type ClaimStore struct {
	db      *DB
	data    *pii.Keyring
	classes *ClassStore
}

var _ claim.Store = (*ClaimStore)(nil)

// Claims returns the claim store on db.
func (db *DB) Claims(m *keys.Material) *ClaimStore {
	return &ClaimStore{db: db, data: m.Data, classes: db.Classes(m)}
}

type claimRow struct {
	ID            string
	ClassID       string
	InstitutionID string
	Status        string
	TotalCents    int64
	ReviewReason  string
	ReviewedAt    sql.NullTime
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (claimRow) TableName() string { return "subsidy_claims" }

type claimLineRow struct {
	ID             string
	ClaimID        string
	Seq            int
	WorkerID       string
	TrainingID     *string
	Eligible       bool
	AmountCents    int64
	ClaimedCents   int64
	Reasons        string
	AdjustReason   string
	OccupationCode string
	Level          *int
	EndDate        time.Time
	Held           bool
	CreatedAt      time.Time
}

func (claimLineRow) TableName() string { return "subsidy_claim_lines" }

func toClaimRow(c claim.Claim) claimRow {
	return claimRow{ID: c.ID, ClassID: c.ClassID, InstitutionID: c.InstitutionID, Status: c.Status,
		TotalCents: int64(c.TotalCents), ReviewReason: c.ReviewReason, ReviewedAt: nullTime(c.ReviewedAt),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func fromClaimRow(r claimRow) claim.Claim {
	return claim.Claim{ID: r.ID, ClassID: r.ClassID, InstitutionID: r.InstitutionID, Status: r.Status,
		TotalCents: claim.Cents(r.TotalCents), ReviewReason: r.ReviewReason, ReviewedAt: timeOf(r.ReviewedAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func toLineRow(l claim.Line) claimLineRow {
	var tid *string
	if l.TrainingID != "" {
		tid = &l.TrainingID
	}
	return claimLineRow{ID: l.ID, ClaimID: l.ClaimID, Seq: l.Seq, WorkerID: l.WorkerID, TrainingID: tid,
		Eligible: l.Eligible, AmountCents: int64(l.AmountCents), ClaimedCents: int64(l.ClaimedCents),
		Reasons: strings.Join(l.Reasons, ","), AdjustReason: l.AdjustReason, OccupationCode: l.OccupationCode,
		Level: l.Level, EndDate: l.EndDate.Time(), Held: l.Held, CreatedAt: l.CreatedAt}
}

func fromLineRow(r claimLineRow) claim.Line {
	l := claim.Line{ID: r.ID, ClaimID: r.ClaimID, Seq: r.Seq, WorkerID: r.WorkerID, Eligible: r.Eligible,
		AmountCents: claim.Cents(r.AmountCents), ClaimedCents: claim.Cents(r.ClaimedCents), AdjustReason: r.AdjustReason,
		OccupationCode: r.OccupationCode, Level: r.Level, EndDate: civil.DateOf(r.EndDate.UTC()), Held: r.Held,
		CreatedAt: r.CreatedAt.UTC(), Reasons: []string{}}
	if r.TrainingID != nil {
		l.TrainingID = *r.TrainingID
	}
	if r.Reasons != "" {
		l.Reasons = strings.Split(r.Reasons, ",")
	}
	return l
}

// WithTx runs fn in one transaction, run again after a deadlock or lock-wait timeout when it
// is a transaction of its own.
func (s *ClaimStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.Trainings().WithTx(ctx, fn)
}

// LockClass locks and reads the class (see ClassStore.LockClass).
func (s *ClaimStore) LockClass(ctx context.Context, id string) (class.Class, error) {
	return s.classes.LockClass(ctx, id)
}

// Class reads the class (see ClassStore.Class).
func (s *ClaimStore) Class(ctx context.Context, id string) (class.Class, error) {
	return s.classes.Class(ctx, id)
}

// Members reads the class's roster with SSNs and names (see ClassStore.Members).
func (s *ClaimStore) Members(ctx context.Context, classID string) ([]class.Member, error) {
	return s.classes.Members(ctx, classID)
}

// LockWorkers locks the workers' registry rows by primary key, in the order given (the caller
// sorts them), on MySQL; SQLite's write transactions are serial already.
func (s *ClaimStore) LockWorkers(ctx context.Context, ids []string) error {
	if s.db.dialect != MySQL || len(ids) == 0 {
		return nil
	}
	var got []string
	return translate(s.db.conn(ctx).Raw("SELECT id FROM workers WHERE id IN ? ORDER BY id FOR UPDATE", ids).Scan(&got).Error)
}

// CreateClaim inserts the claim and its lines.
func (s *ClaimStore) CreateClaim(ctx context.Context, c claim.Claim) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		row := toClaimRow(c)
		if err := s.db.conn(ctx).Create(&row).Error; err != nil {
			return translate(err)
		}
		if len(c.Lines) == 0 {
			return nil
		}
		rows := make([]claimLineRow, len(c.Lines))
		for i, l := range c.Lines {
			rows[i] = toLineRow(l)
		}
		return translate(s.db.conn(ctx).CreateInBatches(&rows, 500).Error)
	})
}

// ClaimByClass returns the class's claim with its lines.
func (s *ClaimStore) ClaimByClass(ctx context.Context, classID string) (claim.Claim, error) {
	var row claimRow
	if err := s.db.conn(ctx).Where("class_id = ?", classID).Take(&row).Error; err != nil {
		return claim.Claim{}, translate(err)
	}
	return s.complete(ctx, fromClaimRow(row))
}

// Claim returns one claim with its lines and current notice.
func (s *ClaimStore) Claim(ctx context.Context, id string) (claim.Claim, error) {
	var row claimRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return claim.Claim{}, translate(err)
	}
	return s.complete(ctx, fromClaimRow(row))
}

// LockClaim reads one claim and locks its row until the transaction ends.
func (s *ClaimStore) LockClaim(ctx context.Context, id string) (claim.Claim, error) {
	q := s.db.conn(ctx).Where("id = ?", id)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var row claimRow
	if err := q.Take(&row).Error; err != nil {
		return claim.Claim{}, translate(err)
	}
	return s.complete(ctx, fromClaimRow(row))
}

// Claims returns up to limit claims matching f, newest first, with their lines.
func (s *ClaimStore) Claims(ctx context.Context, f claim.Filter, after *claim.Position, limit int) ([]claim.Claim, error) {
	q := s.db.conn(ctx).Model(&claimRow{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.InstitutionID != "" {
		q = q.Where("institution_id = ?", f.InstitutionID)
	}
	if f.ClassID != "" {
		q = q.Where("class_id = ?", f.ClassID)
	}
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", after.At, after.At, after.ID)
	}
	var rows []claimRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Claim, len(rows))
	for i, r := range rows {
		c, err := s.complete(ctx, fromClaimRow(r))
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// SaveClaim stores the claim's status, total and review, and its lines' amounts.
func (s *ClaimStore) SaveClaim(ctx context.Context, c claim.Claim) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		err := s.db.conn(ctx).Model(&claimRow{}).Where("id = ?", c.ID).Updates(map[string]any{
			"status": c.Status, "total_cents": int64(c.TotalCents), "review_reason": c.ReviewReason,
			"reviewed_at": nullTime(c.ReviewedAt), "updated_at": c.UpdatedAt,
		}).Error
		if err != nil {
			return translate(err)
		}
		for _, l := range c.Lines {
			err := s.db.conn(ctx).Model(&claimLineRow{}).Where("id = ?", l.ID).Updates(map[string]any{
				"amount_cents": int64(l.AmountCents), "adjust_reason": l.AdjustReason, "held": l.Held,
			}).Error
			if err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// complete reads a claim's lines (with the registry's SSNs and names) and current notice.
func (s *ClaimStore) complete(ctx context.Context, c claim.Claim) (claim.Claim, error) {
	var rows []claimLineRow
	if err := s.db.conn(ctx).Where("claim_id = ?", c.ID).Order("seq").Find(&rows).Error; err != nil {
		return claim.Claim{}, translate(err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.WorkerID
	}
	var people []struct {
		ID      string
		SSNEnc  []byte `gorm:"column:ssn_enc"`
		NameEnc []byte
	}
	if len(ids) > 0 {
		if err := s.db.conn(ctx).Table("workers").Select("id", "ssn_enc", "name_enc").Where("id IN ?", ids).Find(&people).Error; err != nil {
			return claim.Claim{}, translate(err)
		}
	}
	type person struct{ ssn, name string }
	byID := make(map[string]person, len(people))
	for _, p := range people {
		ssn, err := s.data.OpenString(p.SSNEnc, workerAADSSN)
		if err != nil {
			return claim.Claim{}, errs.Internal(err, "open workers.ssn of %s", p.ID)
		}
		name, err := s.data.OpenString(p.NameEnc, workerAADName)
		if err != nil {
			return claim.Claim{}, errs.Internal(err, "open workers.name of %s", p.ID)
		}
		byID[p.ID] = person{ssn, name}
	}
	c.Lines = make([]claim.Line, len(rows))
	for i, r := range rows {
		l := fromLineRow(r)
		l.SSN, l.Name = identity.SSN(byID[r.WorkerID].ssn), byID[r.WorkerID].name
		c.Lines[i] = l
	}
	var course struct{ CourseName string }
	if err := s.db.conn(ctx).Table("classes").Select("course_name").Where("id = ?", c.ClassID).Take(&course).Error; err != nil {
		return claim.Claim{}, translate(err)
	}
	c.CourseName = course.CourseName
	n, err := s.currentNotice(ctx, c.ID)
	if err != nil {
		return claim.Claim{}, err
	}
	c.Notice = n
	return c, nil
}
