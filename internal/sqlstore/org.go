package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"skillrecord/internal/auth"
	"skillrecord/internal/org"
	"skillrecord/internal/page"
)

var _ org.Store = (*DB)(nil)

type orgRow struct {
	ID           string
	Name         string
	Type         string
	CreditCode   string
	RegionCode   string
	Status       string
	StatusReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (orgRow) TableName() string { return "organizations" }

type designationRow struct {
	ID        int64 `gorm:"primaryKey"`
	OrgID     string
	Kind      string
	GrantedOn time.Time
}

func (designationRow) TableName() string { return "org_designations" }

func toOrgRow(o org.Org) orgRow {
	return orgRow{ID: o.ID, Name: o.Name, Type: string(o.Type), CreditCode: o.CreditCode, RegionCode: o.RegionCode,
		Status: string(o.Status), StatusReason: o.StatusReason, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
}

func fromOrgRow(r orgRow, ds []designationRow) org.Org {
	o := org.Org{ID: r.ID, Name: r.Name, Type: org.Type(r.Type), CreditCode: r.CreditCode, RegionCode: r.RegionCode,
		Status: org.Status(r.Status), StatusReason: r.StatusReason, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	for _, d := range ds {
		o.Designations = append(o.Designations, org.Designation{Kind: d.Kind, GrantedOn: d.GrantedOn.UTC()})
	}
	return o
}

func designationRows(o org.Org) []designationRow {
	rows := make([]designationRow, 0, len(o.Designations))
	for _, d := range o.Designations {
		rows = append(rows, designationRow{OrgID: o.ID, Kind: d.Kind, GrantedOn: d.GrantedOn})
	}
	return rows
}

// CreateOrg inserts an organisation with its designations.
func (db *DB) CreateOrg(ctx context.Context, o org.Org) error {
	return db.WithTx(ctx, func(ctx context.Context) error {
		row := toOrgRow(o)
		if err := db.conn(ctx).Create(&row).Error; err != nil {
			return translate(err)
		}
		if ds := designationRows(o); len(ds) > 0 {
			return translate(db.conn(ctx).Create(&ds).Error)
		}
		return nil
	})
}

// GetOrg reads one organisation.
func (db *DB) GetOrg(ctx context.Context, id string) (org.Org, error) {
	return db.getOrg(db.conn(ctx), id, false)
}

func (db *DB) getOrg(q *gorm.DB, id string, lock bool) (org.Org, error) {
	var row orgRow
	if lock && db.dialect == MySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Where("id = ?", id).Take(&row).Error; err != nil {
		return org.Org{}, translate(err)
	}
	var ds []designationRow
	if err := q.Session(&gorm.Session{NewDB: true}).Where("org_id = ?", id).Order("granted_on, kind").Find(&ds).Error; err != nil {
		return org.Org{}, translate(err)
	}
	return fromOrgRow(row, ds), nil
}

// ListOrgs returns up to p.Limit+1 organisations after p.After, ordered by id, with their
// designations read in one more query.
func (db *DB) ListOrgs(ctx context.Context, f org.Filter, p page.Request) ([]org.Org, error) {
	q := db.conn(ctx).Model(&orgRow{})
	if f.Type != "" {
		q = q.Where("type = ?", string(f.Type))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	var rows []orgRow
	if err := q.Order("id").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var ds []designationRow
	if err := db.conn(ctx).Where("org_id IN ?", ids).Order("granted_on, kind").Find(&ds).Error; err != nil {
		return nil, translate(err)
	}
	byOrg := map[string][]designationRow{}
	for _, d := range ds {
		byOrg[d.OrgID] = append(byOrg[d.OrgID], d)
	}
	out := make([]org.Org, len(rows))
	for i, r := range rows {
		out[i] = fromOrgRow(r, byOrg[r.ID])
	}
	return out, nil
}

// UpdateOrg changes an organisation inside one transaction, the row locked meanwhile.
func (db *DB) UpdateOrg(ctx context.Context, id string, fn func(*org.Org) error) (org.Org, error) {
	var out org.Org
	err := db.WithTx(ctx, func(ctx context.Context) error {
		o, err := db.getOrg(db.conn(ctx), id, true)
		if err != nil {
			return err
		}
		before := len(o.Designations)
		if err := fn(&o); err != nil {
			return err
		}
		row := toOrgRow(o)
		if err := db.conn(ctx).Model(&orgRow{}).Where("id = ?", id).
			Select("name", "status", "status_reason", "updated_at").Updates(&row).Error; err != nil {
			return translate(err)
		}
		if before > 0 || len(o.Designations) > 0 {
			if err := db.conn(ctx).Where("org_id = ?", id).Delete(&designationRow{}).Error; err != nil {
				return translate(err)
			}
			if ds := designationRows(o); len(ds) > 0 {
				if err := db.conn(ctx).Create(&ds).Error; err != nil {
					return translate(err)
				}
			}
		}
		out = o
		return nil
	})
	return out, err
}

// OrgStanding reads an organisation's type and status (for authentication).
func (db *DB) OrgStanding(ctx context.Context, orgID string) (auth.OrgStanding, error) {
	var row orgRow
	if err := db.conn(ctx).Select("type", "status").Where("id = ?", orgID).Take(&row).Error; err != nil {
		return auth.OrgStanding{}, translate(err)
	}
	return auth.OrgStanding{Type: row.Type, Status: row.Status}, nil
}
