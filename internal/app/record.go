package app

import (
	"context"
	"time"

	"skillrecord/internal/certificate"
	"skillrecord/internal/keys"
	"skillrecord/internal/page"
	"skillrecord/internal/record"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
)

// recordSources are where a worker's record summary is read from.
func recordSources(db *sqlstore.DB, m *keys.Material) record.Sources {
	return record.Sources{Workers: db.Workers(m), Credits: db.Ledger(),
		Trainings:    recordTrainings{&training.Service{Store: db.Trainings()}},
		Certificates: recordCertificates{db.Certificates(m)},
		Classes:      recordClasses{db.Classes(m)},
		Subsidies:    recordSubsidies{db.Claims(m)}}
}

// recordTrainings adapts the training reads (which need only the store) to the summary.
type recordTrainings struct{ svc *training.Service }

func (r recordTrainings) RecentForWorker(ctx context.Context, workerID string, n int) ([]record.Training, record.Counts, error) {
	res, err := r.svc.ListForWorker(ctx, workerID, page.Request{Limit: n})
	if err != nil {
		return nil, record.Counts{}, err
	}
	counts, err := r.svc.CountForWorker(ctx, workerID)
	if err != nil {
		return nil, record.Counts{}, err
	}
	out := make([]record.Training, 0, len(res.Items))
	for _, t := range res.Items {
		out = append(out, record.Training{
			ID: t.ID, CourseName: t.Record.CourseName, TrainingType: t.Record.TrainingType,
			OccupationCode: t.Record.OccupationCode, Hours: t.Record.Hours,
			StartDate: t.Record.StartDate.String(), EndDate: t.Record.EndDate.String(),
			Result: t.Record.Result, Status: t.Status, InstitutionID: t.InstitutionID, CreatedAt: t.CreatedAt,
		})
	}
	return out, record.Counts{Trainings: counts.Trainings, TrainingsPassed: counts.Passed}, nil
}

// recordCertificates adapts the certificate store to the summary's certificate list. The
// stored status is valid or revoked; expiry is derived when the summary is answered.
type recordCertificates struct{ store *sqlstore.CertificateStore }

func (r recordCertificates) CertificatesForWorker(ctx context.Context, workerID string) ([]record.Certificate, error) {
	recs, err := r.store.AllForWorker(ctx, workerID)
	if err != nil {
		return nil, err
	}
	out := make([]record.Certificate, 0, len(recs))
	for _, c := range recs {
		out = append(out, toRecordCertificate(c))
	}
	return out, nil
}

func toRecordCertificate(c certificate.Record) record.Certificate {
	rc := record.Certificate{No: c.No, Type: c.Type, OccupationCode: c.OccupationCode, OccupationName: c.OccupationName,
		Level: c.Level, IssuedOn: c.IssuedOn.String(), Status: c.Status, IssuerOrgID: c.IssuerOrgID}
	if c.ValidUntil != nil {
		rc.ValidUntil = c.ValidUntil.String()
	}
	return rc
}

// recordClasses adapts the class store to the summary's class list.
type recordClasses struct{ store *sqlstore.ClassStore }

func (r recordClasses) ClassesForWorker(ctx context.Context, workerID string, n int) ([]record.Class, error) {
	cs, err := r.store.WorkerClasses(ctx, workerID, nil, n)
	if err != nil {
		return nil, err
	}
	out := make([]record.Class, len(cs))
	for i, c := range cs {
		out[i] = record.Class{ID: c.ID, CourseName: c.CourseName, Status: c.Status, StartDate: c.StartDate.String(),
			EndDate: c.EndDate.String(), InstitutionID: c.InstitutionID, UpdatedAt: c.UpdatedAt}
	}
	return out, nil
}

// recordSubsidies adapts the claim store to the summary's subsidy list; payment dates are
// the bureau's (China Standard Time, the default time zone).
type recordSubsidies struct{ store *sqlstore.ClaimStore }

var chinaTime = time.FixedZone("CST", 8*60*60)

func (r recordSubsidies) SubsidiesForWorker(ctx context.Context, workerID string, n int) ([]record.Subsidy, error) {
	ls, err := r.store.WorkerSubsidies(ctx, workerID, nil, n)
	if err != nil {
		return nil, err
	}
	out := make([]record.Subsidy, len(ls))
	for i, l := range ls {
		out[i] = record.Subsidy{LineID: l.LineID, CourseName: l.CourseName, ClassID: l.ClassID,
			AmountCents: int64(l.AmountCents), Status: l.Status(), FundSource: l.FundSource}
		if d := l.DisbursedOn(chinaTime); d != nil {
			out[i].DisbursedOn = d.String()
		}
	}
	return out, nil
}
