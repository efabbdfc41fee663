package evaluation

import (
	"context"

	"skillrecord/internal/class"
	"skillrecord/internal/errs"
	"skillrecord/internal/indicator"
)

// Store computes the figures.
type Store interface {
	// Figures returns the figures of every institution with a class ending in p (or only of
	// institutionID when it is not ""), ordered by institution id.
	Figures(ctx context.Context, institutionID string, p indicator.Period) ([]Figures, error)
	// OrganizationName returns the organisation's name, and false when there is none.
	OrganizationName(ctx context.Context, id string) (string, bool, error)
}

// Service is the evaluation use cases.
type Service struct{ Store Store }

// CityWide returns every institution's figures for the period.
func (s *Service) CityWide(ctx context.Context, p indicator.Period) ([]Figures, error) {
	return s.Store.Figures(ctx, "", p)
}

// Institution returns one institution's figures (zeros when it ran no class); errs.NotFound
// when there is no such organisation.
func (s *Service) Institution(ctx context.Context, id string, p indicator.Period) (Figures, error) {
	name, ok, err := s.Store.OrganizationName(ctx, id)
	if err != nil {
		return Figures{}, err
	}
	if !ok {
		return Figures{}, errs.NotFound("not_found", "no such organisation")
	}
	fs, err := s.Store.Figures(ctx, id, p)
	if err != nil || len(fs) == 0 {
		return Figures{InstitutionID: id, InstitutionName: name, Flags: emptyFlags()}, err
	}
	return fs[0], nil
}

func emptyFlags() map[string]int64 {
	out := map[string]int64{}
	for _, k := range class.FlagKinds() {
		out[k] = 0
	}
	return out
}

// FlagKinds lists the flag kinds in their canonical order (the CSV columns).
func FlagKinds() []string { return class.FlagKinds() }
