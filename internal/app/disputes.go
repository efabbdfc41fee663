package app

import (
	"context"
	"time"

	"skillrecord/internal/claim"
	"skillrecord/internal/class"
	"skillrecord/internal/dispute"
	"skillrecord/internal/evaluation"
	"skillrecord/internal/httpapi"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
)

// wireDisputes puts the dispute use cases into the HTTP dependencies (an upheld dispute voids
// through the training-record void path and holds lines through the claim use cases), and the
// performance evaluation that counts disputes upheld among its figures.
func wireDisputes(d *httpapi.Deps, db *sqlstore.DB, trainings *training.Service, claims *claim.Service, records class.RecordCache, now func() time.Time) {
	d.Disputes = &dispute.Service{Store: db.Disputes(), Voider: voider{trainings}, Holder: claims, Cache: records, Now: now}
	d.Evaluation = &evaluation.Service{Store: db.Evaluation()}
}

// voider adapts the training void use case to the dispute's needs.
type voider struct{ svc *training.Service }

func (v voider) Void(ctx context.Context, institutionID, id, reason string) error {
	_, err := v.svc.Void(ctx, institutionID, id, reason)
	return err
}
