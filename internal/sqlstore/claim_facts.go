package sqlstore

import (
	"context"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/claim"
	"skillrecord/internal/class"
)

// Trainees reads what the eligibility rules need about each member of the class: the
// member's non-void record of the class (result and attendance rate), whether they hold a
// valid certificate of the class's occupation on the date, and whether they hold an active
// social security card, and the kinds of employment spell covering the class's start date, and
// their used training voucher bound to the class.
func (s *ClaimStore) Trainees(ctx context.Context, c class.Class, members []class.Member, on civil.Date) ([]claim.Facts, error) {
	out := make([]claim.Facts, len(members))
	if len(members) == 0 {
		return out, nil
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.WorkerID
		out[i].Member = m
	}
	var records []struct {
		ID             string
		WorkerID       string
		Result         string
		AttendanceRate *float64
	}
	err := s.db.conn(ctx).Table("trainings").Select("id", "worker_id", "result", "attendance_rate").
		Where("class_id = ? AND status <> ?", c.ID, "void").Find(&records).Error
	if err != nil {
		return nil, translate(err)
	}
	var certified, carded []string
	err = s.db.conn(ctx).Table("certificates").Distinct("worker_id").
		Where("worker_id IN ? AND occupation_code = ? AND status = ? AND issued_on <= ? AND (valid_until IS NULL OR valid_until >= ?)",
			ids, c.OccupationCode, "valid", on.Time(), on.Time()).Pluck("worker_id", &certified).Error
	if err != nil {
		return nil, translate(err)
	}
	err = s.db.conn(ctx).Table("worker_cards").Distinct("worker_id").
		Where("worker_id IN ? AND status = ?", ids, "active").Pluck("worker_id", &carded).Error
	if err != nil {
		return nil, translate(err)
	}
	var spells []struct {
		WorkerID string
		Kind     string
	}
	err = s.db.conn(ctx).Table("employment_spells").Distinct("worker_id", "kind").
		Where("worker_id IN ? AND start_date <= ? AND (end_date IS NULL OR end_date >= ?)",
			ids, c.StartDate.Time(), c.StartDate.Time()).Find(&spells).Error
	if err != nil {
		return nil, translate(err)
	}
	var vouchers []struct {
		WorkerID       string
		FaceValueCents int64
	}
	err = s.db.conn(ctx).Table("vouchers").Select("worker_id", "face_value_cents").
		Where("class_id = ? AND worker_id IN ? AND state IN ?", c.ID, ids, []string{"used", "settled"}).Find(&vouchers).Error
	if err != nil {
		return nil, translate(err)
	}
	pos := make(map[string]int, len(members))
	for i, id := range ids {
		pos[id] = i
	}
	for _, r := range records {
		if i, ok := pos[r.WorkerID]; ok {
			out[i].TrainingID, out[i].Result = r.ID, r.Result
			if r.AttendanceRate != nil {
				out[i].AttendanceRate = *r.AttendanceRate
			}
		}
	}
	for _, id := range certified {
		out[pos[id]].HasCertificate = true
	}
	for _, id := range carded {
		out[pos[id]].CardActive = true
	}
	for _, v := range vouchers {
		if i, ok := pos[v.WorkerID]; ok {
			out[i].HasVoucher, out[i].VoucherCents = true, class.Cents(v.FaceValueCents)
		}
	}
	for _, sp := range spells {
		if i, ok := pos[sp.WorkerID]; ok {
			out[i].Statuses = append(out[i].Statuses, sp.Kind)
		}
	}
	return out, nil
}

// Priors returns the workers' eligible lines in claims that are not rejected. On MySQL it is
// a locking read (LOCK IN SHARE MODE, which MariaDB and MySQL both accept), so it sees the
// lines that a claim committed while this transaction waited for the workers' row locks,
// not the transaction's older snapshot.
func (s *ClaimStore) Priors(ctx context.Context, workerIDs []string) ([]claim.Prior, error) {
	if len(workerIDs) == 0 {
		return nil, nil
	}
	q := "SELECT l.worker_id, l.claim_id, l.occupation_code, l.level, l.end_date FROM subsidy_claim_lines l " +
		"JOIN subsidy_claims c ON c.id = l.claim_id WHERE l.worker_id IN ? AND l.eligible = ? AND c.status <> ?"
	if s.db.dialect == MySQL {
		q += " LOCK IN SHARE MODE"
	}
	var rows []struct {
		WorkerID       string
		ClaimID        string
		OccupationCode string
		Level          *int
		EndDate        time.Time
	}
	if err := s.db.conn(ctx).Raw(q, workerIDs, true, claim.StatusRejected).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Prior, len(rows))
	for i, r := range rows {
		out[i] = claim.Prior{WorkerID: r.WorkerID, ClaimID: r.ClaimID, OccupationCode: r.OccupationCode,
			Level: r.Level, EndDate: civil.DateOf(r.EndDate.UTC())}
	}
	return out, nil
}
