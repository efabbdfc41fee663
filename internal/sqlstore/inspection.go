package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
	"skillrecord/internal/inspection"
)

// InspectionStore keeps the random inspections (table inspections) and reads their
// candidates from organizations and trainings.
type InspectionStore struct {
	db *DB
}

var _ inspection.Store = (*InspectionStore)(nil)

// Inspections returns the inspection store on db.
func (db *DB) Inspections() *InspectionStore { return &InspectionStore{db: db} }

type inspectionRow struct {
	ID                    string
	Seed                  string
	Institutions          int
	RecordsPerInstitution int
	ClassesPerInstitution int
	WindowFrom            time.Time
	WindowTo              time.Time
	InstitutionCandidates int
	Sample                string
	CreatedBy             string
	CreatedAt             time.Time
}

func (inspectionRow) TableName() string { return "inspections" }

// sampleJSON is one drawn institution as the sample column keeps it.
type sampleJSON struct {
	InstitutionID    string   `json:"institution_id"`
	Name             string   `json:"name"`
	RecordCandidates int      `json:"record_candidates"`
	RecordIDs        []string `json:"record_ids"`
	ClassCandidates  int      `json:"class_candidates"`
	ClassIDs         []string `json:"class_ids"`
}

// ActiveInstitutions returns the active training institutions, ascending by id (index
// idx_organizations_type_status).
func (s *InspectionStore) ActiveInstitutions(ctx context.Context) ([]inspection.Institution, error) {
	var rows []struct {
		ID   string
		Name string
	}
	err := s.db.conn(ctx).Raw("SELECT id, name FROM organizations WHERE type = 'training_institution' AND status = 'active' ORDER BY id").
		Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]inspection.Institution, len(rows))
	for i, r := range rows {
		out[i] = inspection.Institution{ID: r.ID, Name: r.Name}
	}
	return out, nil
}

// RecordCandidates returns the ids of the institution's non-void records ending in w,
// ascending (index idx_trainings_institution_end).
func (s *InspectionStore) RecordCandidates(ctx context.Context, institutionID string, w inspection.Window) ([]string, error) {
	var ids []string
	err := s.db.conn(ctx).Raw(`SELECT id FROM trainings
WHERE institution_id = ? AND end_date >= ? AND end_date <= ? AND status = 'active' ORDER BY id`,
		institutionID, w.From.Time(), w.To.Time()).Find(&ids).Error
	return ids, translate(err)
}

// ClassCandidates returns the ids of the institution's approved classes, ascending (index
// uk_classes_institution_external leads with the institution).
func (s *InspectionStore) ClassCandidates(ctx context.Context, institutionID string) ([]string, error) {
	var ids []string
	err := s.db.conn(ctx).Raw("SELECT id FROM classes WHERE institution_id = ? AND status = 'approved' ORDER BY id",
		institutionID).Find(&ids).Error
	return ids, translate(err)
}

// CreateInspection stores a drawn sample.
func (s *InspectionStore) CreateInspection(ctx context.Context, in inspection.Inspection) error {
	sample := make([]sampleJSON, len(in.Sample))
	for i, d := range in.Sample {
		sample[i] = sampleJSON{InstitutionID: d.InstitutionID, Name: d.Name, RecordCandidates: d.RecordCandidates, RecordIDs: d.RecordIDs,
			ClassCandidates: d.ClassCandidates, ClassIDs: d.ClassIDs}
		if sample[i].RecordIDs == nil {
			sample[i].RecordIDs = []string{}
		}
		if sample[i].ClassIDs == nil {
			sample[i].ClassIDs = []string{}
		}
	}
	b, err := json.Marshal(sample)
	if err != nil {
		return errs.Internal(err, "encode inspection sample")
	}
	row := inspectionRow{
		ID: in.ID, Seed: string(in.Seed), Institutions: in.Params.Institutions,
		RecordsPerInstitution: in.Params.RecordsPerInstitution, ClassesPerInstitution: in.Params.ClassesPerInstitution,
		WindowFrom: in.Window.From.Time(),
		WindowTo:   in.Window.To.Time(), InstitutionCandidates: in.InstitutionCandidates, Sample: string(b),
		CreatedBy: in.CreatedBy, CreatedAt: in.CreatedAt.UTC(),
	}
	return translate(s.db.conn(ctx).Create(&row).Error)
}

// GetInspection reads one stored sample; errs.NotFound when there is none.
func (s *InspectionStore) GetInspection(ctx context.Context, id string) (inspection.Inspection, error) {
	var row inspectionRow
	if err := s.db.conn(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return inspection.Inspection{}, translate(err)
	}
	var sample []sampleJSON
	if err := json.Unmarshal([]byte(row.Sample), &sample); err != nil {
		return inspection.Inspection{}, errs.Internal(err, "decode inspection sample")
	}
	out := inspection.Inspection{
		ID: row.ID, Seed: inspection.Seed(row.Seed),
		Params: inspection.Params{Institutions: row.Institutions, RecordsPerInstitution: row.RecordsPerInstitution,
			ClassesPerInstitution: row.ClassesPerInstitution},
		Window:                inspection.Window{From: civil.DateOf(row.WindowFrom.UTC()), To: civil.DateOf(row.WindowTo.UTC())},
		InstitutionCandidates: row.InstitutionCandidates, CreatedBy: row.CreatedBy, CreatedAt: row.CreatedAt.UTC(),
		Sample: make([]inspection.Drawn, len(sample)),
	}
	for i, d := range sample {
		out.Sample[i] = inspection.Drawn{InstitutionID: d.InstitutionID, Name: d.Name, RecordCandidates: d.RecordCandidates, RecordIDs: d.RecordIDs,
			ClassCandidates: d.ClassCandidates, ClassIDs: d.ClassIDs}
	}
	return out, nil
}
