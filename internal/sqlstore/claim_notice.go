package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm/clause"

	"skillrecord/internal/claim"
	"skillrecord/internal/errs"
)

const objectionAADContact = "subsidy_objections.contact"

type noticeRow struct {
	ID        string
	ClaimID   string
	StartsAt  time.Time
	EndsAt    time.Time
	Withdrawn bool
	CreatedAt time.Time
}

func (noticeRow) TableName() string { return "subsidy_notices" }

type objectionRow struct {
	ID            string
	NoticeID      string
	ClaimID       string
	Text          string
	ContactEnc    []byte
	Status        string
	ResolveReason string
	ResolvedAt    sql.NullTime
	CreatedAt     time.Time
}

func (objectionRow) TableName() string { return "subsidy_objections" }

func fromNoticeRow(r noticeRow) claim.Notice {
	return claim.Notice{ID: r.ID, ClaimID: r.ClaimID, StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC(),
		Withdrawn: r.Withdrawn, CreatedAt: r.CreatedAt.UTC()}
}

// currentNotice returns the claim's latest notice that is not withdrawn, or nil.
func (s *ClaimStore) currentNotice(ctx context.Context, claimID string) (*claim.Notice, error) {
	var rows []noticeRow
	err := s.db.conn(ctx).Where("claim_id = ? AND withdrawn = ?", claimID, false).
		Order("created_at DESC, id DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, translate(err)
	}
	n := fromNoticeRow(rows[0])
	return &n, nil
}

// AddNotice stores a notice.
func (s *ClaimStore) AddNotice(ctx context.Context, n claim.Notice) error {
	row := noticeRow{ID: n.ID, ClaimID: n.ClaimID, StartsAt: n.StartsAt, EndsAt: n.EndsAt, Withdrawn: n.Withdrawn, CreatedAt: n.CreatedAt}
	return translate(s.db.conn(ctx).Create(&row).Error)
}

// WithdrawNotice marks a notice withdrawn.
func (s *ClaimStore) WithdrawNotice(ctx context.Context, id string) error {
	return translate(s.db.conn(ctx).Model(&noticeRow{}).Where("id = ?", id).Update("withdrawn", true).Error)
}

// Notice returns one notice with its claim, institution name and course.
func (s *ClaimStore) Notice(ctx context.Context, id string) (claim.Notice, error) {
	var row noticeRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return claim.Notice{}, translate(err)
	}
	return s.fillNotice(ctx, fromNoticeRow(row))
}

// Notices returns notices that are not withdrawn, newest first.
func (s *ClaimStore) Notices(ctx context.Context, after *claim.Position, limit int) ([]claim.Notice, error) {
	q := s.db.conn(ctx).Where("withdrawn = ?", false)
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", after.At, after.At, after.ID)
	}
	var rows []noticeRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Notice, len(rows))
	for i, r := range rows {
		n, err := s.fillNotice(ctx, fromNoticeRow(r))
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func (s *ClaimStore) fillNotice(ctx context.Context, n claim.Notice) (claim.Notice, error) {
	c, err := s.Claim(ctx, n.ClaimID)
	if err != nil {
		return claim.Notice{}, err
	}
	var org struct{ Name string }
	if err := s.db.conn(ctx).Table("organizations").Select("name").Where("id = ?", c.InstitutionID).Take(&org).Error; err != nil {
		return claim.Notice{}, translate(err)
	}
	n.InstitutionName, n.CourseName, n.Claim = org.Name, c.CourseName, &c
	return n, nil
}

// AddObjection stores an objection, its contact sealed.
func (s *ClaimStore) AddObjection(ctx context.Context, o claim.Objection) error {
	row := objectionRow{ID: o.ID, NoticeID: o.NoticeID, ClaimID: o.ClaimID, Text: o.Text, Status: o.Status, CreatedAt: o.CreatedAt}
	if o.Contact != "" {
		enc, err := s.data.SealString(o.Contact, objectionAADContact)
		if err != nil {
			return errs.Internal(err, "seal an objection's contact")
		}
		row.ContactEnc = enc
	}
	return translate(s.db.conn(ctx).Create(&row).Error)
}

// LockObjection reads an objection, locking its row until the transaction ends.
func (s *ClaimStore) LockObjection(ctx context.Context, id string) (claim.Objection, error) {
	q := s.db.conn(ctx).Where("id = ?", id)
	if s.db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: clause.LockingStrengthUpdate})
	}
	var row objectionRow
	if err := q.Take(&row).Error; err != nil {
		return claim.Objection{}, translate(err)
	}
	return s.fromObjectionRow(row)
}

// SaveObjection stores an objection's status and resolution.
func (s *ClaimStore) SaveObjection(ctx context.Context, o claim.Objection) error {
	return translate(s.db.conn(ctx).Model(&objectionRow{}).Where("id = ?", o.ID).Updates(map[string]any{
		"status": o.Status, "resolve_reason": o.ResolveReason, "resolved_at": nullTime(o.ResolvedAt),
	}).Error)
}

// Objections returns objections of the status ("" = any), newest first.
func (s *ClaimStore) Objections(ctx context.Context, status string, after *claim.Position, limit int) ([]claim.Objection, error) {
	q := s.db.conn(ctx).Model(&objectionRow{})
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if after != nil {
		q = q.Where("created_at < ? OR (created_at = ? AND id < ?)", after.At, after.At, after.ID)
	}
	var rows []objectionRow
	if err := q.Order("created_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]claim.Objection, len(rows))
	for i, r := range rows {
		o, err := s.fromObjectionRow(r)
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
}

// Holding counts the open and upheld objections to the notice.
func (s *ClaimStore) Holding(ctx context.Context, noticeID string) (int, error) {
	var n int64
	err := s.db.conn(ctx).Model(&objectionRow{}).Where("notice_id = ? AND status IN ?", noticeID,
		[]string{claim.ObjectionOpen, claim.ObjectionUpheld}).Count(&n).Error
	return int(n), translate(err)
}

func (s *ClaimStore) fromObjectionRow(r objectionRow) (claim.Objection, error) {
	o := claim.Objection{ID: r.ID, NoticeID: r.NoticeID, ClaimID: r.ClaimID, Text: r.Text, Status: r.Status,
		ResolveReason: r.ResolveReason, ResolvedAt: timeOf(r.ResolvedAt), CreatedAt: r.CreatedAt.UTC()}
	if len(r.ContactEnc) > 0 {
		c, err := s.data.OpenString(r.ContactEnc, objectionAADContact)
		if err != nil {
			return claim.Objection{}, errs.Internal(err, "open an objection's contact")
		}
		o.Contact = c
	}
	return o, nil
}
