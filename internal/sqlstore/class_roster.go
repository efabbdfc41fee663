package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
)

// Members returns the class's roster, in the order the members joined, with each member's
// registered SSN and name opened from the registry.
func (s *ClassStore) Members(ctx context.Context, classID string) ([]class.Member, error) {
	var rows []struct {
		WorkerID string
		SSNEnc   []byte `gorm:"column:ssn_enc"`
		NameEnc  []byte
	}
	err := s.db.conn(ctx).Table("class_roster AS r").
		Select("r.worker_id", "w.ssn_enc", "w.name_enc").
		Joins("JOIN workers AS w ON w.id = r.worker_id").
		Where("r.class_id = ?", classID).Order("r.seq").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]class.Member, len(rows))
	for i, r := range rows {
		ssn, err := s.data.OpenString(r.SSNEnc, workerAADSSN)
		if err != nil {
			return nil, errs.Internal(err, "open workers.ssn of %s", r.WorkerID)
		}
		name, err := s.data.OpenString(r.NameEnc, workerAADName)
		if err != nil {
			return nil, errs.Internal(err, "open workers.name of %s", r.WorkerID)
		}
		out[i] = class.Member{WorkerID: r.WorkerID, SSN: identity.SSN(ssn), Name: name}
	}
	return out, nil
}

// ChangeRoster adds and removes members of a class and keeps its roster_size.
func (s *ClassStore) ChangeRoster(ctx context.Context, classID string, add, remove []string, at time.Time) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if len(remove) > 0 {
			if err := s.db.conn(ctx).Where("class_id = ? AND worker_id IN ?", classID, remove).
				Delete(&classRosterRow{}).Error; err != nil {
				return translate(err)
			}
		}
		var seq struct{ Max *int }
		if err := s.db.conn(ctx).Model(&classRosterRow{}).Select("MAX(seq) AS max").
			Where("class_id = ?", classID).Take(&seq).Error; err != nil {
			return translate(err)
		}
		next := 0
		if seq.Max != nil {
			next = *seq.Max
		}
		if err := s.addMembers(ctx, classID, add, next, at); err != nil {
			return err
		}
		return translate(s.db.conn(ctx).Model(&classRow{}).Where("id = ?", classID).Updates(map[string]any{
			"roster_size": gorm.Expr("roster_size + ?", len(add)-len(remove)),
			"updated_at":  at,
		}).Error)
	})
}

// Attendance counts, for each roster member of the class, the sessions they checked into.
// Members without a check-in are absent from the map.
func (s *ClassStore) Attendance(ctx context.Context, classID string) (map[string]int, error) {
	var rows []struct {
		WorkerID string
		Sessions int
	}
	err := s.db.conn(ctx).Table("class_checkins AS k").
		Select("k.worker_id, COUNT(DISTINCT k.session_date) AS sessions").
		Joins("JOIN class_roster AS r ON r.class_id = k.class_id AND r.worker_id = k.worker_id").
		Where("k.class_id = ?", classID).Group("k.worker_id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.WorkerID] = r.Sessions
	}
	return out, nil
}
