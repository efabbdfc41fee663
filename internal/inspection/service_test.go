package inspection_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/inspection"
)

// memStore is an in-memory Store: candidates fixed by the test, samples kept in a map.
type memStore struct {
	institutions []inspection.Institution
	records      map[string][]string
	classes      map[string][]string
	windows      []inspection.Window
	saved        map[string]inspection.Inspection
}

func (m *memStore) ActiveInstitutions(context.Context) ([]inspection.Institution, error) {
	return m.institutions, nil
}

func (m *memStore) RecordCandidates(_ context.Context, id string, w inspection.Window) ([]string, error) {
	m.windows = append(m.windows, w)
	return m.records[id], nil
}

func (m *memStore) ClassCandidates(_ context.Context, id string) ([]string, error) {
	return m.classes[id], nil
}

func (m *memStore) CreateInspection(_ context.Context, in inspection.Inspection) error {
	m.saved[in.ID] = in
	return nil
}

func (m *memStore) GetInspection(_ context.Context, id string) (inspection.Inspection, error) {
	in, ok := m.saved[id]
	if !ok {
		return inspection.Inspection{}, errs.NotFound("not_found", "no such inspection")
	}
	return in, nil
}

func newService(t *testing.T) (*inspection.Service, *memStore) {
	t.Helper()
	st := &memStore{records: map[string][]string{}, saved: map[string]inspection.Inspection{}}
	for i := range 12 {
		id := fmt.Sprintf("inst-%02d", i)
		st.institutions = append(st.institutions, inspection.Institution{ID: id, Name: "机构" + id})
		st.records[id] = ids(i * 3) // inst-00 has none, inst-11 has 33
	}
	now := time.Date(2026, 11, 27, 20, 0, 0, 0, time.UTC) // already the 28th in China
	return &inspection.Service{Store: st, Now: func() time.Time { return now }}, st
}

func TestCreate_SameSeedSameSampleAndTheWindowIsTheLastTwelveMonths(t *testing.T) {
	svc, st := newService(t)
	ctx := context.Background()
	p := inspection.Params{Institutions: 4, RecordsPerInstitution: 5}
	a, err := svc.Create(ctx, "admin-1", p, "S-1")
	require.NoError(t, err)
	b, err := svc.Create(ctx, "admin-2", p, "S-1")
	require.NoError(t, err)
	assert.NotEqual(t, a.ID, b.ID)
	assert.Equal(t, a.Sample, b.Sample)
	assert.Equal(t, 12, a.InstitutionCandidates)
	require.Len(t, a.Sample, 4)
	for _, d := range a.Sample {
		assert.Len(t, d.RecordIDs, min(5, d.RecordCandidates))
		assert.Equal(t, "机构"+d.InstitutionID, d.Name)
	}
	assert.Equal(t, "2025-11-29", a.Window.From.String())
	assert.Equal(t, "2026-11-28", a.Window.To.String())
	assert.Equal(t, a.Window, st.windows[0])

	got, err := svc.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a, got)
}

func TestCreate_GeneratesASeedWhenNoneIsGiven(t *testing.T) {
	svc, _ := newService(t)
	in, err := svc.Create(context.Background(), "admin-1", inspection.Params{Institutions: 1, RecordsPerInstitution: 1}, "")
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9]+$`, string(in.Seed))
}

func TestCreate_ParametersOutOfRangeAreInvalid(t *testing.T) {
	svc, st := newService(t)
	for _, p := range []inspection.Params{{0, 1, 0}, {101, 1, 0}, {1, 0, 0}, {1, 101, 0}, {1, 1, -1}, {1, 1, 101}} {
		_, err := svc.Create(context.Background(), "admin-1", p, "1")
		assert.Equal(t, errs.KindInvalid, errs.KindOf(err), p)
	}
	_, err := svc.Create(context.Background(), "admin-1", inspection.Params{Institutions: 1, RecordsPerInstitution: 1}, "bad seed")
	assert.Equal(t, "invalid_seed", errs.CodeOf(err))
	assert.Empty(t, st.saved)
}

func TestCreate_DrawsApprovedClassesOnlyWhenAskedFor(t *testing.T) {
	svc, st := newService(t)
	st.classes = map[string][]string{}
	for _, in := range st.institutions {
		st.classes[in.ID] = []string{"class-a-" + in.ID, "class-b-" + in.ID, "class-c-" + in.ID}
	}
	ctx := context.Background()
	without, err := svc.Create(ctx, "admin-1", inspection.Params{Institutions: 3, RecordsPerInstitution: 1}, "S-2")
	require.NoError(t, err)
	with, err := svc.Create(ctx, "admin-1", inspection.Params{Institutions: 3, RecordsPerInstitution: 1, ClassesPerInstitution: 2}, "S-2")
	require.NoError(t, err)
	for i, d := range with.Sample {
		assert.Empty(t, without.Sample[i].ClassIDs)
		assert.Equal(t, 3, d.ClassCandidates)
		assert.Equal(t, inspection.DrawClasses("S-2", d.InstitutionID, st.classes[d.InstitutionID], 2), d.ClassIDs)
		assert.Len(t, d.ClassIDs, 2)
		assert.Equal(t, without.Sample[i].RecordIDs, d.RecordIDs, "drawing classes leaves the records' draw alone")
	}
}
