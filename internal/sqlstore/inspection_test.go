package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/inspection"
	"skillrecord/internal/training"
)

func TestInspectionStore_CandidatesAreActiveInstitutionsAndTheirRecordsInTheWindow(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			repData(t, db)
			ctx := context.Background()
			s := db.Inspections()

			insts, err := s.ActiveInstitutions(ctx)
			require.NoError(t, err)
			assert.Equal(t, []inspection.Institution{{ID: repInst1, Name: "枣庄市公共实训基地"}}, insts,
				"repInst2 is suspended and repEval is not a training institution")

			ids, err := s.RecordCandidates(ctx, repInst1, inspection.Window{From: repDay(2025, 3, 10), To: repDay(2025, 9, 10)})
			require.NoError(t, err)
			assert.Len(t, ids, 5, "G1, A2, A3, E1, E2: G6 and E3 are void, G2 G3 A1 outside")
			assert.True(t, slices.IsSorted(ids))
		})
	}
}

func TestInspectionStore_RoundTripsASample(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := context.Background()
			in := inspection.Inspection{
				ID: "0190a1b2-0000-7000-8000-000000000777", Seed: "双随机-2026", // the store keeps any seed text
				Params:                inspection.Params{Institutions: 2, RecordsPerInstitution: 3, ClassesPerInstitution: 1},
				Window:                inspection.Window{From: training.Date{Y: 2025, M: 11, D: 28}, To: training.Date{Y: 2026, M: 11, D: 27}},
				InstitutionCandidates: 7,
				Sample: []inspection.Drawn{
					{InstitutionID: repInst1, Name: "枣庄市公共实训基地", RecordCandidates: 4, RecordIDs: []string{"a", "b", "c"}, ClassCandidates: 2, ClassIDs: []string{"k"}},
					{InstitutionID: repInst2, Name: "滕州市职业培训学校", RecordCandidates: 0, RecordIDs: []string{}, ClassIDs: []string{}},
				},
				CreatedBy: "admin-1", CreatedAt: repNow,
			}
			require.NoError(t, db.Inspections().CreateInspection(ctx, in))
			got, err := db.Inspections().GetInspection(ctx, in.ID)
			require.NoError(t, err)
			assert.Equal(t, in, got)

			_, err = db.Inspections().GetInspection(ctx, "0190a1b2-0000-7000-8000-000000000778")
			assert.Equal(t, errs.KindNotFound, errs.KindOf(err))
		})
	}
}
