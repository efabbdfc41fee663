package sqlstore

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"

	"skillrecord/internal/indicator"
	"skillrecord/internal/training"
)

// ReportStore computes the bureau's reports (the indicator table and institutions' figures)
// with aggregate queries over trainings, certificates and org_designations, and the record
// counts the writes keep by day (indicator_training_days). Each query reads one index that
// covers it, so no table row is read.
type ReportStore struct {
	db *DB
}

var _ indicator.Store = (*ReportStore)(nil)

// Reports returns the report store on db.
func (db *DB) Reports() *ReportStore { return &ReportStore{db: db} }

// The report queries. Literals in them are constants of the schema and the domain, never
// caller input: 'active' records, the certificate types that count by level
// (certificate.CountsByLevel), the migrant_worker bit (1) of trainee_groups, levels 1–3.
const (
	// dayCounts: the active records ending in the period that are subsidised, subsidised and
	// of migrant workers, and of type entrepreneurship, from the counts the writes keep by day
	// (indicator_training_days, migration 00036): about 2,000 rows of 16 slots for a five-year
	// period, however many records there are.
	dayCounts = `SELECT COALESCE(SUM(subsidized), 0) AS subsidized, COALESCE(SUM(migrant), 0) AS migrant,
  COALESCE(SUM(entrepreneurship), 0) AS entrepreneurship
FROM indicator_training_days
WHERE end_date >= ? AND end_date <= ?`

	// typeWorkers: distinct workers with a non-void record of one type ending in the period,
	// from the entries the writes keep (indicator_type_days, migration 00037): each such worker
	// has exactly one entry in the period whose date before is before the period.
	typeWorkers = `SELECT COALESCE(SUM(workers), 0) AS n FROM indicator_type_days
WHERE training_type = ? AND end_date >= ? AND end_date <= ? AND prev_date < ?`

	// issuedCounts: the counted certificates issued in the period and not revoked before it
	// ended, and the high-skill ones among them (idx_certificates_indicator_issued).
	issuedCounts = `SELECT COUNT(*) AS total,
  COALESCE(SUM(CASE WHEN level >= 1 AND level <= 3 THEN 1 ELSE 0 END), 0) AS high_skill
FROM certificates
WHERE type IN ('skill_level','vocational_qualification') AND issued_on >= ? AND issued_on <= ?
  AND (status = 'valid' OR revoked_at >= ?)`

	// highSkillStock: distinct holders of a counted level 1–3 certificate valid at the end of
	// the period — issued by then, not expired then, not revoked by then
	// (idx_certificates_indicator_stock).
	highSkillStock = `SELECT COUNT(DISTINCT worker_id) AS n
FROM certificates
WHERE type IN ('skill_level','vocational_qualification') AND level >= 1 AND level <= 3
  AND issued_on <= ?
  AND (valid_until IS NULL OR valid_until >= ?)
  AND (status = 'valid' OR revoked_at >= ?)`

	// designationCounts: designations granted in the period, by kind
	// (idx_org_designations_kind).
	designationCounts = `SELECT kind, COUNT(*) AS n
FROM org_designations
WHERE granted_on >= ? AND granted_on <= ?
GROUP BY kind`
)

// IndicatorCounts runs the table's aggregate queries for p, several at once unless ctx
// carries a transaction. Dates are passed as midnight-UTC times, the form in which the stores
// write DATE columns, so that both dialects compare like with like.
func (s *ReportStore) IndicatorCounts(ctx context.Context, p indicator.Period) (indicator.Counts, error) {
	from, to, endsAt := p.From.Time(), p.To.Time(), p.EndsAt()
	c := indicator.Counts{Designations: map[string]int64{}}
	var mu sync.Mutex // guards c.Designations; every other field has one writer
	one := func(dst *int64, query string, args ...any) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			var rows []struct{ N int64 }
			if err := s.db.conn(ctx).Raw(query, args...).Find(&rows).Error; err != nil {
				return translate(err)
			}
			if len(rows) == 1 {
				*dst = rows[0].N
			}
			return nil
		}
	}
	queries := []func(ctx context.Context) error{
		// The longest first, so that it starts at once: the high-skill stock reads every
		// counted certificate of level 1–3 issued by the end of the period.
		one(&c.HighSkillWorkers, highSkillStock, to, to, endsAt),
		one(&c.GoldBlueCollarWorkers, typeWorkers, training.TypeGoldBlueCollar, from, to, from),
		one(&c.ApprenticeshipWorkers, typeWorkers, training.TypeApprenticeship, from, to, from),
		func(ctx context.Context) error {
			var rows []struct{ Total, HighSkill int64 }
			if err := s.db.conn(ctx).Raw(issuedCounts, from, to, endsAt).Find(&rows).Error; err != nil {
				return translate(err)
			}
			if len(rows) == 1 {
				c.NewCertificates, c.NewHighSkillCertificates = rows[0].Total, rows[0].HighSkill
			}
			return nil
		},
		func(ctx context.Context) error {
			var rows []struct{ Subsidized, Migrant, Entrepreneurship int64 }
			if err := s.db.conn(ctx).Raw(dayCounts, from, to).Find(&rows).Error; err != nil {
				return translate(err)
			}
			if len(rows) == 1 {
				c.SubsidizedTrainings, c.MigrantWorkerTrainings = rows[0].Subsidized, rows[0].Migrant
				c.EntrepreneurshipTrainings = rows[0].Entrepreneurship
			}
			return nil
		},
		func(ctx context.Context) error {
			var rows []struct {
				Kind string
				N    int64
			}
			if err := s.db.conn(ctx).Raw(designationCounts, from, to).Find(&rows).Error; err != nil {
				return translate(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, r := range rows {
				c.Designations[r.Kind] = r.N
			}
			return nil
		},
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(reportParallelism)
	if InTx(ctx) {
		g.SetLimit(1) // one transaction, one statement at a time
	}
	for _, q := range queries {
		g.Go(func() error { return q(gctx) })
	}
	if err := g.Wait(); err != nil {
		return indicator.Counts{}, err
	}
	return c, nil
}

// reportParallelism is how many report queries run at once, each on its own connection.
const reportParallelism = 3
