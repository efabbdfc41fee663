package sqlstore

import (
	"context"
	"sort"

	"gorm.io/gorm"

	"skillrecord/internal/class"
	"skillrecord/internal/evaluation"
	"skillrecord/internal/indicator"
)

// EvaluationStore computes the performance evaluation's figures with one aggregate query per
// figure, grouped by institution, over the classes ending in the period.
type EvaluationStore struct{ db *DB }

var _ evaluation.Store = (*EvaluationStore)(nil)

// Evaluation returns the evaluation store on db.
func (db *DB) Evaluation() *EvaluationStore { return &EvaluationStore{db: db} }

// OrganizationName returns the organisation's name, and false when there is none.
func (s *EvaluationStore) OrganizationName(ctx context.Context, id string) (string, bool, error) {
	var rows []struct{ Name string }
	if err := s.db.conn(ctx).Table("organizations").Select("name").Where("id = ?", id).Scan(&rows).Error; err != nil || len(rows) == 0 {
		return "", false, translate(err)
	}
	return rows[0].Name, true, nil
}

// Figures returns the figures per institution.
func (s *EvaluationStore) Figures(ctx context.Context, institutionID string, p indicator.Period) ([]evaluation.Figures, error) {
	from, to := p.From.Time(), p.To.Time()
	byID := map[string]*evaluation.Figures{}
	get := func(id string) *evaluation.Figures {
		f, ok := byID[id]
		if !ok {
			f = &evaluation.Figures{InstitutionID: id, Flags: map[string]int64{}}
			for _, k := range class.FlagKinds() {
				f.Flags[k] = 0
			}
			byID[id] = f
		}
		return f
	}
	// scope is the classes of the evaluation: approved or completed, ending in the period.
	scope := func(q *gorm.DB, alias string) *gorm.DB {
		q = q.Where(alias+".end_date >= ? AND "+alias+".end_date <= ? AND "+alias+".status IN ?", from, to,
			[]string{class.StatusApproved, class.StatusCompleted})
		if institutionID != "" {
			q = q.Where(alias+".institution_id = ?", institutionID)
		}
		return q
	}
	conn := func() *gorm.DB { return s.db.conn(ctx) }

	var classes []struct {
		InstitutionID string
		Classes       int64
		Completed     int64
		Trainees      int64
	}
	if err := scope(conn().Table("classes AS cl"), "cl").Select("cl.institution_id, COUNT(*) AS classes, " +
		"SUM(CASE WHEN cl.status = 'completed' THEN 1 ELSE 0 END) AS completed, SUM(cl.roster_size) AS trainees").
		Group("cl.institution_id").Scan(&classes).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range classes {
		f := get(r.InstitutionID)
		f.Classes, f.Completed, f.Trainees = r.Classes, r.Completed, r.Trainees
	}
	var records []struct {
		InstitutionID string
		Records       int64
		Passed        int64
		Attendance    float64
	}
	if err := scope(conn().Table("trainings AS t").Joins("JOIN classes AS cl ON cl.id = t.class_id"), "cl").
		Where("t.status <> ?", "void").Select("cl.institution_id, COUNT(*) AS records, " +
		"SUM(CASE WHEN t.result = 'passed' THEN 1 ELSE 0 END) AS passed, COALESCE(SUM(t.attendance_rate), 0) AS attendance").
		Group("cl.institution_id").Scan(&records).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range records {
		f := get(r.InstitutionID)
		f.Records, f.Passed, f.AttendanceSum = r.Records, r.Passed, r.Attendance
	}
	var flags []struct {
		InstitutionID string
		Kind          string
		N             int64
	}
	if err := scope(conn().Table("supervision_flags AS sf").Joins("JOIN classes AS cl ON cl.id = sf.class_id"), "cl").
		Select("cl.institution_id, sf.kind, COUNT(*) AS n").Group("cl.institution_id, sf.kind").Scan(&flags).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range flags {
		get(r.InstitutionID).Flags[r.Kind] = r.N
	}
	var objections []struct {
		InstitutionID string
		N             int64
	}
	if err := scope(conn().Table("subsidy_objections AS o").Joins("JOIN subsidy_claims AS c ON c.id = o.claim_id").
		Joins("JOIN classes AS cl ON cl.id = c.class_id"), "cl").Where("o.status = ?", "upheld").
		Select("cl.institution_id, COUNT(*) AS n").Group("cl.institution_id").Scan(&objections).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range objections {
		get(r.InstitutionID).ObjectionsUpheld = r.N
	}
	var money []struct {
		InstitutionID string
		Claimed       int64
		Approved      int64
	}
	if err := scope(conn().Table("subsidy_claim_lines AS l").Joins("JOIN subsidy_claims AS c ON c.id = l.claim_id").
		Joins("JOIN classes AS cl ON cl.id = c.class_id"), "cl").
		Select("cl.institution_id, COALESCE(SUM(l.claimed_cents), 0) AS claimed, " +
			"COALESCE(SUM(CASE WHEN c.status IN ('approved', 'disbursed') AND l.held = 0 THEN l.amount_cents ELSE 0 END), 0) AS approved").
		Group("cl.institution_id").Scan(&money).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range money {
		f := get(r.InstitutionID)
		f.ClaimedCents, f.ApprovedCents = evaluation.Cents(r.Claimed), evaluation.Cents(r.Approved)
	}
	var paid []struct {
		InstitutionID string
		Cents         int64
	}
	if err := scope(conn().Table("fund_disbursements AS d").Joins("JOIN subsidy_claims AS c ON c.id = d.claim_id").
		Joins("JOIN classes AS cl ON cl.id = c.class_id"), "cl").
		Select("cl.institution_id, COALESCE(SUM(d.amount_cents), 0) AS cents").Group("cl.institution_id").Scan(&paid).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range paid {
		get(r.InstitutionID).DisbursedCents = evaluation.Cents(r.Cents)
	}
	var certs []struct {
		InstitutionID string
		N             int64
	}
	held := scope(conn().Table("class_roster AS r").Joins("JOIN classes AS cl ON cl.id = r.class_id").
		Joins("JOIN certificates AS ce ON ce.worker_id = r.worker_id AND ce.occupation_code = cl.occupation_code AND ce.status = 'valid'"), "cl").
		Distinct("cl.institution_id", "cl.id", "r.worker_id")
	if err := conn().Table("(?) AS x", held).Select("x.institution_id, COUNT(*) AS n").Group("x.institution_id").Scan(&certs).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range certs {
		get(r.InstitutionID).Certificates = r.N
	}
	var used []struct {
		InstitutionID string
		N             int64
	}
	err := scope(conn().Table("vouchers AS v").Joins("JOIN classes AS cl ON cl.id = v.class_id"), "cl").
		Where("v.state IN ?", []string{"used", "settled"}).Select("cl.institution_id, COUNT(*) AS n").Group("cl.institution_id").Scan(&used).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range used {
		get(r.InstitutionID).VouchersUsed = r.N
	}
	if len(byID) > 0 {
		var disputes []struct {
			InstitutionID string
			N             int64
		}
		q := conn().Table("disputes").Where("status = ? AND created_at >= ? AND created_at < ?", "upheld", from, to.AddDate(0, 0, 1))
		if institutionID != "" {
			q = q.Where("institution_id = ?", institutionID)
		}
		if err := q.Select("institution_id, COUNT(*) AS n").Group("institution_id").Scan(&disputes).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range disputes {
			if f, ok := byID[r.InstitutionID]; ok {
				f.DisputesUpheld = r.N
			}
		}
		ids := make([]string, 0, len(byID))
		for id := range byID {
			ids = append(ids, id)
		}
		var names []struct{ ID, Name string }
		if err := conn().Table("organizations").Select("id, name").Where("id IN ?", ids).Scan(&names).Error; err != nil {
			return nil, translate(err)
		}
		for _, n := range names {
			byID[n.ID].InstitutionName = n.Name
		}
	}
	out := make([]evaluation.Figures, 0, len(byID))
	for _, f := range byID {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].InstitutionID < out[j].InstitutionID })
	return out, nil
}
