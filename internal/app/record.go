package app

import (
	"context"

	"skillrecord/internal/keys"
	"skillrecord/internal/record"
	"skillrecord/internal/sqlstore"
)

// recordSources are where a worker's record summary is read from.
func recordSources(db *sqlstore.DB, m *keys.Material) record.Sources {
	return record.Sources{Workers: db.Workers(m), Credits: db.Ledger(), Trainings: noTrainings{}, Certificates: noCertificates{}}
}

// noTrainings and noCertificates stand in until the training and certificate stores are wired.
type noTrainings struct{}

func (noTrainings) RecentForWorker(context.Context, string, int) ([]record.Training, record.Counts, error) {
	return nil, record.Counts{}, nil
}

type noCertificates struct{}

func (noCertificates) CertificatesForWorker(context.Context, string) ([]record.Certificate, error) {
	return nil, nil
}
