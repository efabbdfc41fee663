package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/civil"
	"skillrecord/internal/employment"
	"skillrecord/internal/errs"
)

func civilDay(s string) civil.Date {
	d, err := civil.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestEmploymentStore_CreatesUpdatesAndReadsSpellsByWorker(t *testing.T) {
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			s := db.Employment()
			ctx := context.Background()
			now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			w := uuid.NewString()
			end := civilDay("2026-02-01")
			a := employment.Spell{ID: uuid.NewString(), SourceID: "A", WorkerID: w, Kind: employment.KindEmployed,
				EmployerCode: "91350100M000100Y43", Start: civilDay("2026-01-01"), End: &end, CreatedAt: now, UpdatedAt: now}
			b := employment.Spell{ID: uuid.NewString(), SourceID: "B", WorkerID: w, Kind: employment.KindInsured,
				Start: civilDay("2026-03-01"), CreatedAt: now, UpdatedAt: now}
			require.NoError(t, s.WithTx(ctx, func(ctx context.Context) error { return s.CreateSpells(ctx, []employment.Spell{a, b}) }))

			got, err := s.SpellsBySource(ctx, []string{"A", "B", "C"})
			require.NoError(t, err)
			require.Len(t, got, 2)
			assert.True(t, got["A"].Same(a), "%+v", got["A"])
			assert.True(t, got["B"].Same(b), "%+v", got["B"])

			b.End, b.UpdatedAt = &end, now.Add(time.Hour)
			b.Start = civilDay("2026-01-15")
			require.NoError(t, s.UpdateSpells(ctx, []employment.Spell{b}))
			byWorker, err := s.SpellsOf(ctx, []string{w, uuid.NewString()})
			require.NoError(t, err)
			require.Len(t, byWorker[w], 2)
			for _, sp := range byWorker[w] {
				if sp.SourceID == "B" {
					assert.True(t, sp.Same(b), "%+v", sp)
				}
			}
			err = s.CreateSpells(ctx, []employment.Spell{{ID: uuid.NewString(), SourceID: "A", WorkerID: w, Kind: "employed",
				Start: civilDay("2026-01-01"), CreatedAt: now, UpdatedAt: now}})
			assert.Equal(t, "duplicate_conflict", errs.CodeOf(err), "a source id is stored once")

			inst := uuid.NewString()
			tr := storedTraining(inst, "E-1", w, trainingNow) // 2026-03-01 to 2026-03-20
			require.NoError(t, createTx(t, db, tr))
			trainees, _, err := s.EndedTrainings(ctx, civilDay("2026-03-20"), civilDay("2026-03-20"))
			require.NoError(t, err)
			require.Len(t, trainees, 1, "the end date is in the period, both ends included")
			assert.Equal(t, employment.Trainee{Group: employment.Group{InstitutionID: inst}, WorkerID: w,
				TrainingType: "job_skills_upgrade", Start: civilDay("2026-03-01"), End: civilDay("2026-03-20")}, trainees[0])
			trainees, _, err = s.EndedTrainings(ctx, civilDay("2026-03-21"), civilDay("2026-12-31"))
			require.NoError(t, err)
			assert.Empty(t, trainees)
		})
	}
}
