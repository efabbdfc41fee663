package sqlstore

import (
	"context"

	"skillrecord/internal/certificate"
	"skillrecord/internal/errs"
	"skillrecord/internal/page"
)

// ListForWorker returns up to p.Limit+1 of the worker's certificates after the position
// p.After (certificate.Cursor), by issue date then number, both descending.
func (s *CertificateStore) ListForWorker(ctx context.Context, workerID string, p page.Request) ([]certificate.Record, error) {
	q := s.db.conn(ctx).Where("worker_id = ?", workerID)
	if p.After != "" {
		day, no, err := certificate.ParseCursor(p.After)
		if err != nil {
			return nil, errs.Invalid("invalid_cursor", "the cursor is not one this service gave out").
				WithFields(errs.Field("cursor", "invalid_cursor", "use next_cursor from the previous page"))
		}
		q = q.Where("(issued_on < ? OR (issued_on = ? AND certificate_no < ?))", day.Time(), day.Time(), no)
	}
	var rows []certificateRow
	if err := q.Order("issued_on DESC, certificate_no DESC").Limit(p.Limit + 1).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return s.toRecords(rows)
}

// AllForWorker returns every certificate of the worker, by issue date then number, both
// descending.
func (s *CertificateStore) AllForWorker(ctx context.Context, workerID string) ([]certificate.Record, error) {
	var rows []certificateRow
	err := s.db.conn(ctx).Where("worker_id = ?", workerID).Order("issued_on DESC, certificate_no DESC").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	return s.toRecords(rows)
}

// factsRow is a certificate with its issuer's name.
type factsRow struct {
	Certificate certificateRow `gorm:"embedded"`
	IssuerName  string
}

// Facts reads what verification needs of one certificate, with its issuer's name, in one
// query; NotFound when there is no such number.
func (s *CertificateStore) Facts(ctx context.Context, no string) (certificate.Facts, error) {
	var row factsRow
	err := s.db.conn(ctx).Table("certificates AS c").
		Select("c.*, COALESCE(o.name, '') AS issuer_name").
		Joins("LEFT JOIN organizations o ON o.id = c.issuer_org_id").
		Where("c.certificate_no = ?", no).Take(&row).Error
	if err != nil {
		return certificate.Facts{}, translate(err)
	}
	rec, err := s.toRecord(row.Certificate)
	if err != nil {
		return certificate.Facts{}, err
	}
	return certificate.Facts{
		No: rec.No, Type: rec.Type, OccupationCode: rec.OccupationCode, OccupationName: rec.OccupationName,
		Level: rec.Level, IssuedOn: rec.IssuedOn, ValidUntil: rec.ValidUntil, Revoked: rec.Revoked(),
		IssuerOrgID: rec.IssuerOrgID, IssuerName: row.IssuerName, WorkerID: rec.WorkerID, HolderName: rec.Name, NameIndex: row.Certificate.NameIndex,
	}, nil
}
