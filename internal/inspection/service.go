package inspection

import (
	"context"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/civil"
	"skillrecord/internal/errs"
)

// Store reads the candidates of a draw and keeps the samples.
type Store interface {
	// ActiveInstitutions returns the active training institutions, ascending by id.
	ActiveInstitutions(ctx context.Context) ([]Institution, error)
	// RecordCandidates returns the ids of the institution's non-void records whose end_date
	// is in w, ascending.
	RecordCandidates(ctx context.Context, institutionID string, w Window) ([]string, error)
	// ClassCandidates returns the ids of the institution's approved subsidised classes,
	// ascending.
	ClassCandidates(ctx context.Context, institutionID string) ([]string, error)
	// CreateInspection stores a drawn sample.
	CreateInspection(ctx context.Context, in Inspection) error
	// GetInspection reads one; errs.NotFound when there is none.
	GetInspection(ctx context.Context, id string) (Inspection, error)
}

// Service holds the inspection use cases.
type Service struct {
	Store Store
	Now   func() time.Time
	NewID func() string // nil means UUID v7
}

// bureauZone is the bureau's calendar: "today" is the civil date in China Standard Time.
var bureauZone = time.FixedZone("CST", 8*60*60)

// Create draws a sample for createdBy (an admin id) and stores it. An empty seed is generated
// (NewSeed). Errors: errs.Invalid when p is out of range.
func (s *Service) Create(ctx context.Context, createdBy string, p Params, seed Seed) (Inspection, error) {
	if err := p.Validate(); err != nil {
		return Inspection{}, err
	}
	if seed == "" {
		seed = NewSeed()
	} else if _, err := ParseSeed(string(seed)); err != nil {
		return Inspection{}, err
	}
	now := s.Now().UTC().Truncate(time.Microsecond)
	w := WindowEnding(civil.DateOf(now.In(bureauZone)))
	candidates, sample, err := s.Draw(ctx, seed, p, w)
	if err != nil {
		return Inspection{}, err
	}
	in := Inspection{
		ID: s.newID(), Seed: seed, Params: p, Window: w, InstitutionCandidates: candidates,
		Sample: sample, CreatedBy: createdBy, CreatedAt: now,
	}
	if err := s.Store.CreateInspection(ctx, in); err != nil {
		return Inspection{}, err
	}
	return in, nil
}

// Draw draws a sample from the data as it is now, without storing it: the number of candidate
// institutions, and the drawn institutions (ascending by id) with their drawn records. The
// same seed, parameters, window and data give the same sample.
func (s *Service) Draw(ctx context.Context, seed Seed, p Params, w Window) (int, []Drawn, error) {
	all, err := s.Store.ActiveInstitutions(ctx)
	if err != nil {
		return 0, nil, err
	}
	names := make(map[string]string, len(all))
	ids := make([]string, len(all))
	for i, in := range all {
		ids[i], names[in.ID] = in.ID, in.Name
	}
	chosen := DrawInstitutions(seed, ids, p.Institutions)
	sample := make([]Drawn, 0, len(chosen))
	for _, id := range chosen {
		records, err := s.Store.RecordCandidates(ctx, id, w)
		if err != nil {
			return 0, nil, err
		}
		d := Drawn{
			InstitutionID: id, Name: names[id], RecordCandidates: len(records),
			RecordIDs: DrawRecords(seed, id, records, p.RecordsPerInstitution), ClassIDs: []string{},
		}
		if p.ClassesPerInstitution > 0 {
			classes, err := s.Store.ClassCandidates(ctx, id)
			if err != nil {
				return 0, nil, err
			}
			d.ClassCandidates, d.ClassIDs = len(classes), DrawClasses(seed, id, classes, p.ClassesPerInstitution)
		}
		sample = append(sample, d)
	}
	return len(names), sample, nil
}

// Get reads a stored sample; errs.NotFound when there is none.
func (s *Service) Get(ctx context.Context, id string) (Inspection, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Inspection{}, errs.NotFound("not_found", "no such inspection")
	}
	return s.Store.GetInspection(ctx, id)
}

func (s *Service) newID() string {
	if s.NewID != nil {
		return s.NewID()
	}
	return uuid.Must(uuid.NewV7()).String()
}
