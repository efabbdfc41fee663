package sqlstore

import (
	"context"

	"skillrecord/internal/errs"
	"skillrecord/internal/indicator"
)

// institutionTrainings reads an institution's records ending in the period (index
// idx_trainings_institution_end).
const institutionTrainings = `SELECT COUNT(*) AS posted,
  COALESCE(SUM(CASE WHEN status = 'void' THEN 1 ELSE 0 END), 0) AS voided,
  COALESCE(SUM(CASE WHEN status = 'active' AND result = 'passed' THEN 1 ELSE 0 END), 0) AS passed,
  COALESCE(SUM(CASE WHEN status = 'active' AND subsidized = 1 THEN 1 ELSE 0 END), 0) AS subsidized,
  COALESCE(SUM(CASE WHEN status = 'active' AND subsidized = 1 THEN COALESCE(subsidy_amount_cents, 0) ELSE 0 END), 0) AS subsidy_cents,
  COUNT(DISTINCT CASE WHEN status = 'active' THEN worker_id END) AS workers
FROM trainings
WHERE institution_id = ? AND end_date >= ? AND end_date <= ?`

// institutionCertificates reads the certificates an organisation issued in the period (index
// idx_certificates_issuer_issued).
const institutionCertificates = `SELECT COUNT(*) AS issued,
  COALESCE(SUM(CASE WHEN status = 'revoked' THEN 1 ELSE 0 END), 0) AS revoked
FROM certificates
WHERE issuer_org_id = ? AND issued_on >= ? AND issued_on <= ?`

// InstitutionStats computes an organisation's figures for p with two aggregate queries;
// errs.NotFound when the organisation does not exist.
func (s *ReportStore) InstitutionStats(ctx context.Context, orgID string, p indicator.Period) (indicator.Stats, error) {
	var st indicator.Stats
	q := s.db.conn(ctx)
	var found []struct{ ID string }
	if err := q.Raw("SELECT id FROM organizations WHERE id = ?", orgID).Find(&found).Error; err != nil {
		return st, translate(err)
	}
	if len(found) == 0 {
		return st, errs.NotFound("not_found", "no such organisation")
	}
	from, to := p.From.Time(), p.To.Time()

	var tr []struct {
		Posted       int64
		Voided       int64
		Passed       int64
		Subsidized   int64
		SubsidyCents int64
		Workers      int64
	}
	if err := q.Raw(institutionTrainings, orgID, from, to).Find(&tr).Error; err != nil {
		return st, translate(err)
	}
	if len(tr) == 1 {
		r := tr[0]
		st.RecordsPosted, st.Voided, st.Passed = r.Posted, r.Voided, r.Passed
		st.SubsidizedRecords, st.SubsidyAmountCents, st.DistinctWorkers = r.Subsidized, r.SubsidyCents, r.Workers
	}

	var certs []struct {
		Issued  int64
		Revoked int64
	}
	if err := q.Raw(institutionCertificates, orgID, from, to).Find(&certs).Error; err != nil {
		return st, translate(err)
	}
	if len(certs) == 1 {
		st.CertificatesIssued, st.CertificatesRevoked = certs[0].Issued, certs[0].Revoked
	}
	return st, nil
}
