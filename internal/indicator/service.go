package indicator

import (
	"context"
	"math"
)

// Store counts what the reports need with aggregate queries.
type Store interface {
	// IndicatorCounts computes every count of the table for p, following the rules in the
	// package comment; revocations are judged against p.EndsAt().
	IndicatorCounts(ctx context.Context, p Period) (Counts, error)
	// InstitutionStats computes an organisation's figures for p; errs.NotFound when there is
	// no organisation with that id.
	InstitutionStats(ctx context.Context, orgID string, p Period) (Stats, error)
}

// Service holds the reporting use cases.
type Service struct {
	Store Store
	Table *Table // nil means DefaultTable
}

// Indicators computes the table for p.
func (s *Service) Indicators(ctx context.Context, p Period) (Report, error) {
	c, err := s.Store.IndicatorCounts(ctx, p)
	if err != nil {
		return Report{}, err
	}
	t := s.Table
	if t == nil {
		t = DefaultTable()
	}
	return Report{Period: p, Rows: t.Rows(c)}, nil
}

// InstitutionStats computes an organisation's performance figures for p.
func (s *Service) InstitutionStats(ctx context.Context, orgID string, p Period) (Stats, error) {
	st, err := s.Store.InstitutionStats(ctx, orgID, p)
	if err != nil {
		return Stats{}, err
	}
	st.OrgID, st.Period = orgID, p
	return st, nil
}

// Stats are an organisation's performance figures for a period (绩效评估). Training figures
// count the records it posted whose end_date is in the period (the indicators' basis, so that
// institutions' figures add up to the city's); certificate figures count those it issued with
// issued_on in the period.
type Stats struct {
	OrgID  string
	Period Period

	RecordsPosted       int64 // records ending in the period, void or not
	Voided              int64 // of those, voided
	Passed              int64 // of the non-void ones, result passed
	SubsidizedRecords   int64 // of the non-void ones, subsidised
	SubsidyAmountCents  int64 // the subsidy amounts of those (a record without an amount adds 0)
	DistinctWorkers     int64 // distinct workers of the non-void ones
	CertificatesIssued  int64 // certificates of any type issued in the period
	CertificatesRevoked int64 // of those, revoked since (status revoked today)
}

// Active is the number of non-void records.
func (s Stats) Active() int64 { return s.RecordsPosted - s.Voided }

// PassRate is Passed over the non-void records, rounded to 4 decimals; ok is false when there
// are none.
func (s Stats) PassRate() (rate float64, ok bool) {
	if s.Active() <= 0 {
		return 0, false
	}
	return math.Round(float64(s.Passed)/float64(s.Active())*valueScale) / valueScale, true
}
