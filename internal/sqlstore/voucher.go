package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillrecord/internal/civil"
	"skillrecord/internal/voucher"
)

// VoucherStore keeps training voucher batches (voucher_batches) and vouchers (vouchers).
type VoucherStore struct{ db *DB }

var _ voucher.Store = (*VoucherStore)(nil)

// Vouchers returns the voucher store on db.
func (db *DB) Vouchers() *VoucherStore { return &VoucherStore{db: db} }

type voucherBatchRow struct {
	BatchKey       string
	Name           string
	Kind           string
	SubsidyItem    string
	FaceValueCents int64
	ValidDays      int
	Quantity       int
	Issued         int
	FundSource     string
	Eligible       string
	Status         string
	ClosedAt       sql.NullTime
	CreatedAt      time.Time
}

func (voucherBatchRow) TableName() string { return "voucher_batches" }

func fromBatchRow(r voucherBatchRow) voucher.Batch {
	b := voucher.Batch{Key: r.BatchKey, Name: r.Name, Kind: r.Kind, SubsidyItem: r.SubsidyItem,
		FaceValueCents: voucher.Cents(r.FaceValueCents), ValidDays: r.ValidDays, Quantity: r.Quantity, Issued: r.Issued,
		FundSource: r.FundSource, Status: r.Status, ClosedAt: timeOf(r.ClosedAt), CreatedAt: r.CreatedAt.UTC()}
	_ = json.Unmarshal([]byte(r.Eligible), &b.Eligible) // written by AddBatch from the same type
	return b
}

type voucherRow struct {
	ID             string
	BatchKey       string
	WorkerID       string
	State          string
	FaceValueCents int64
	ExpiresOn      time.Time
	ClassID        string
	LineID         string
	UsedAt         sql.NullTime
	SettledAt      sql.NullTime
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (voucherRow) TableName() string { return "vouchers" }

// WithTx runs fn in one transaction (see DB.WithTx).
func (s *VoucherStore) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, fn)
}

// AddBatch stores a new batch.
func (s *VoucherStore) AddBatch(ctx context.Context, b voucher.Batch) error {
	eligible, err := json.Marshal(b.Eligible)
	if err != nil {
		return err
	}
	row := voucherBatchRow{BatchKey: b.Key, Name: b.Name, Kind: b.Kind, SubsidyItem: b.SubsidyItem,
		FaceValueCents: int64(b.FaceValueCents), ValidDays: b.ValidDays, Quantity: b.Quantity, Issued: b.Issued,
		FundSource: b.FundSource, Eligible: string(eligible), Status: b.Status, ClosedAt: nullTime(b.ClosedAt), CreatedAt: b.CreatedAt}
	return translate(s.db.conn(ctx).Create(&row).Error)
}

func (s *VoucherStore) batch(ctx context.Context, key string, lock bool) (voucher.Batch, error) {
	q := s.db.conn(ctx).Where("batch_key = ?", key)
	if lock && s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var row voucherBatchRow
	if err := q.Take(&row).Error; err != nil {
		return voucher.Batch{}, translate(err)
	}
	return fromBatchRow(row), nil
}

// Batch returns the batch with the key.
func (s *VoucherStore) Batch(ctx context.Context, key string) (voucher.Batch, error) {
	return s.batch(ctx, key, false)
}

// LockBatch returns the batch with the key, locking its row until the transaction ends.
func (s *VoucherStore) LockBatch(ctx context.Context, key string) (voucher.Batch, error) {
	return s.batch(ctx, key, true)
}

// SaveBatch stores the batch's status, closing time and issued count.
func (s *VoucherStore) SaveBatch(ctx context.Context, b voucher.Batch) error {
	return translate(s.db.conn(ctx).Model(&voucherBatchRow{}).Where("batch_key = ?", b.Key).Updates(map[string]any{
		"status": b.Status, "closed_at": nullTime(b.ClosedAt), "issued": b.Issued,
	}).Error)
}

func (s *VoucherStore) batches(q *gorm.DB) ([]voucher.Batch, error) {
	var rows []voucherBatchRow
	if err := q.Order("created_at DESC, batch_key").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]voucher.Batch, len(rows))
	for i, r := range rows {
		out[i] = fromBatchRow(r)
	}
	return out, nil
}

// Batches returns every batch, newest first.
func (s *VoucherStore) Batches(ctx context.Context) ([]voucher.Batch, error) {
	return s.batches(s.db.conn(ctx).Model(&voucherBatchRow{}))
}

// OpenBatches returns the open batches of the kind, newest first.
func (s *VoucherStore) OpenBatches(ctx context.Context, kind string) ([]voucher.Batch, error) {
	return s.batches(s.db.conn(ctx).Model(&voucherBatchRow{}).Where("kind = ? AND status = ?", kind, voucher.BatchOpen))
}

// Profile returns the trainee groups of the worker's active training records and the areas
// of the worker's active cards.
func (s *VoucherStore) Profile(ctx context.Context, workerID string) (voucher.Profile, error) {
	var masks []int
	err := s.db.conn(ctx).Table("trainings").Distinct("trainee_groups").
		Where("worker_id = ? AND status = ? AND trainee_groups <> 0", workerID, "active").Pluck("trainee_groups", &masks).Error
	if err != nil {
		return voucher.Profile{}, translate(err)
	}
	var p voucher.Profile
	for _, b := range groupBits {
		for _, m := range masks {
			if m&b.bit != 0 {
				p.Groups = append(p.Groups, b.name)
				break
			}
		}
	}
	err = s.db.conn(ctx).Table("worker_cards").Distinct("issue_area").
		Where("worker_id = ? AND status = ?", workerID, "active").Pluck("issue_area", &p.Areas).Error
	return p, translate(err)
}

// LockWorker locks the worker's registry row until the transaction ends (MySQL; SQLite
// serialises writers anyway).
func (s *VoucherStore) LockWorker(ctx context.Context, workerID string) error {
	if s.db.dialect != MySQL {
		return nil
	}
	var got []string
	return translate(s.db.conn(ctx).Raw("SELECT id FROM workers WHERE id = ? FOR UPDATE", workerID).Scan(&got).Error)
}

// AddVouchers stores new vouchers.
func (s *VoucherStore) AddVouchers(ctx context.Context, vs []voucher.Voucher) error {
	if len(vs) == 0 {
		return nil
	}
	rows := make([]voucherRow, len(vs))
	for i, v := range vs {
		rows[i] = voucherRow{ID: v.ID, BatchKey: v.BatchKey, WorkerID: v.WorkerID, State: v.State,
			FaceValueCents: int64(v.FaceValueCents), ExpiresOn: v.ExpiresOn.Time(), ClassID: v.ClassID, LineID: v.LineID,
			UsedAt: nullTime(v.UsedAt), SettledAt: nullTime(v.SettledAt), CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	}
	return translate(s.db.conn(ctx).Create(&rows).Error)
}

const voucherSelect = "v.id, v.batch_key, v.worker_id, v.state, v.face_value_cents, v.expires_on, v.class_id, v.line_id, " +
	"v.used_at, v.settled_at, v.created_at, v.updated_at, b.kind, b.subsidy_item, b.eligible"

func (s *VoucherStore) vouchers(q *gorm.DB) ([]voucher.Voucher, error) {
	var rows []struct {
		ID             string
		BatchKey       string
		WorkerID       string
		State          string
		FaceValueCents int64
		ExpiresOn      time.Time
		ClassID        string
		LineID         string
		UsedAt         sql.NullTime
		SettledAt      sql.NullTime
		CreatedAt      time.Time
		UpdatedAt      time.Time
		Kind           string
		SubsidyItem    string
		Eligible       string
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]voucher.Voucher, len(rows))
	for i, r := range rows {
		var e voucher.Eligible
		_ = json.Unmarshal([]byte(r.Eligible), &e)
		out[i] = voucher.Voucher{ID: r.ID, BatchKey: r.BatchKey, Kind: r.Kind, WorkerID: r.WorkerID, State: r.State,
			FaceValueCents: voucher.Cents(r.FaceValueCents), ExpiresOn: civil.DateOf(r.ExpiresOn.UTC()), ClassID: r.ClassID,
			LineID: r.LineID, Scope: voucher.Scope{SubsidyItem: r.SubsidyItem, OccupationCodes: e.OccupationCodes, InstitutionIDs: e.InstitutionIDs},
			UsedAt: timeOf(r.UsedAt), SettledAt: timeOf(r.SettledAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	}
	return out, nil
}

func (s *VoucherStore) base(ctx context.Context) *gorm.DB {
	return s.db.conn(ctx).Table("vouchers AS v").Select(voucherSelect).Joins("JOIN voucher_batches AS b ON b.batch_key = v.batch_key")
}

func (s *VoucherStore) one(q *gorm.DB) (voucher.Voucher, error) {
	vs, err := s.vouchers(q.Limit(1))
	if err != nil {
		return voucher.Voucher{}, err
	}
	if len(vs) == 0 {
		return voucher.Voucher{}, translate(gorm.ErrRecordNotFound)
	}
	return vs[0], nil
}

// Voucher returns one voucher with its batch's kind and scope.
func (s *VoucherStore) Voucher(ctx context.Context, id string) (voucher.Voucher, error) {
	return s.one(s.base(ctx).Where("v.id = ?", id))
}

// LockVoucher returns one voucher, locking its row until the transaction ends.
func (s *VoucherStore) LockVoucher(ctx context.Context, id string) (voucher.Voucher, error) {
	if s.db.dialect == MySQL {
		var got []string
		if err := s.db.conn(ctx).Raw("SELECT id FROM vouchers WHERE id = ? FOR UPDATE", id).Scan(&got).Error; err != nil {
			return voucher.Voucher{}, translate(err)
		}
	}
	return s.Voucher(ctx, id)
}

// SaveVoucher stores the voucher's state, class, line and times.
func (s *VoucherStore) SaveVoucher(ctx context.Context, v voucher.Voucher) error {
	return translate(s.db.conn(ctx).Model(&voucherRow{}).Where("id = ?", v.ID).Updates(map[string]any{
		"state": v.State, "class_id": v.ClassID, "line_id": v.LineID, "used_at": nullTime(v.UsedAt),
		"settled_at": nullTime(v.SettledAt), "updated_at": v.UpdatedAt,
	}).Error)
}

// WorkerVouchers returns the worker's vouchers, newest first.
func (s *VoucherStore) WorkerVouchers(ctx context.Context, workerID string) ([]voucher.Voucher, error) {
	return s.vouchers(s.base(ctx).Where("v.worker_id = ?", workerID).Order("v.created_at DESC, v.id DESC"))
}

// BatchVouchers returns the batch's vouchers.
func (s *VoucherStore) BatchVouchers(ctx context.Context, key string) ([]voucher.Voucher, error) {
	return s.vouchers(s.base(ctx).Where("v.batch_key = ?", key))
}

// LockClassVouchers returns the vouchers bound to the class, locking their rows (MySQL).
func (s *VoucherStore) LockClassVouchers(ctx context.Context, classID string) ([]voucher.Voucher, error) {
	if s.db.dialect == MySQL {
		var got []string
		if err := s.db.conn(ctx).Raw("SELECT id FROM vouchers WHERE class_id = ? ORDER BY id FOR UPDATE", classID).Scan(&got).Error; err != nil {
			return nil, translate(err)
		}
	}
	return s.vouchers(s.base(ctx).Where("v.class_id = ?", classID).Order("v.id"))
}

// LineVoucher returns, locked, the voucher of the claim line's worker bound to the line's
// class, in a state a line is paid against (used, settled) or cancelled.
func (s *VoucherStore) LineVoucher(ctx context.Context, lineID string) (voucher.Voucher, error) {
	var ids []string
	q := "SELECT v.id FROM vouchers v JOIN subsidy_claim_lines l ON l.worker_id = v.worker_id " +
		"JOIN subsidy_claims c ON c.id = l.claim_id AND c.class_id = v.class_id " +
		"WHERE l.id = ? AND v.state IN ('used', 'settled', 'cancelled') ORDER BY v.id LIMIT 1"
	if err := s.db.conn(ctx).Raw(q, lineID).Scan(&ids).Error; err != nil {
		return voucher.Voucher{}, translate(err)
	}
	if len(ids) == 0 {
		return voucher.Voucher{}, translate(gorm.ErrRecordNotFound)
	}
	return s.LockVoucher(ctx, ids[0])
}
