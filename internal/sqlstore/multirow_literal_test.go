package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/sqlstore"
	"skillrecord/internal/training"
)

// The batch's multi-row statements carry their values as literals on MySQL: every text an
// institution can send must come back exactly as posted, whatever quotes, backslashes,
// question marks or control characters it holds, and times keep their microseconds.
func TestCreateTrainings_ValuesWrittenAsLiteralsComeBackExactly(t *testing.T) {
	texts := []string{
		`O'Brien's course`, `back\slash \' \\ \n`, `'; DROP TABLE trainings; --`, "tab\tnew\nline\r\x00nul\x1a",
		"question? marks ?? and ?", `"double" quotes`, "电工(中级)培训班 — 技能 ✓", `\`, `'`, "", "0x41", "_binary 'x'",
		`??'\?`, strings.Repeat("技", 190) + `\'`,
	}
	for name, open := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			inst := uuid.NewString()
			created := time.Date(2026, 12, 7, 4, 5, 6, 123456000, time.UTC)
			var ts []training.Training
			for i, s := range texts {
				tr := storedTraining(inst, fmt.Sprintf("lit-%02d", i), uuid.NewString(), created.Add(time.Duration(i)*time.Microsecond))
				tr.Record.CourseName = s
				if len([]rune(s)) <= 100 {
					tr.Record.OccupationName = s
				}
				if i%2 == 1 {
					tr.Record.Level, tr.Record.SubsidyAmountCents, tr.Record.Subsidized = nil, nil, false
				}
				ts = append(ts, tr)
			}
			ts[0].CreatedAt = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) // midnight
			ts[1].CreatedAt = time.Date(2026, 12, 7, 4, 5, 6, 0, time.UTC) // whole seconds
			ts[2].CreatedAt = time.Date(2026, 12, 7, 4, 5, 6, 100000, time.UTC)
			require.NoError(t, createTx(t, db, ts...))
			ids := make([]string, len(ts))
			for i, tr := range ts {
				ids[i] = tr.Record.ExternalID
			}
			got, err := db.Trainings().TrainingsByExternalID(context.Background(), inst, ids)
			require.NoError(t, err)
			require.Len(t, got, len(ts))
			for i, want := range ts {
				g := got[want.Record.ExternalID]
				assert.Equal(t, want.Record.CourseName, g.Record.CourseName, "text %d", i)
				assert.Equal(t, want.Record.OccupationName, g.Record.OccupationName, "text %d", i)
				assert.Equal(t, want.Record.Level, g.Record.Level, "text %d", i)
				assert.Equal(t, want.Record.SubsidyAmountCents, g.Record.SubsidyAmountCents, "text %d", i)
				assert.Equal(t, want.Record.Subsidized, g.Record.Subsidized, "text %d", i)
				assert.Equal(t, want.Record.TraineeGroups, g.Record.TraineeGroups, "text %d", i)
				assert.Equal(t, want.Record.StartDate, g.Record.StartDate, "text %d", i)
				assert.True(t, want.CreatedAt.Equal(g.CreatedAt), "text %d: created %v, want %v", i, g.CreatedAt, want.CreatedAt)
				assert.Equal(t, want.ID, g.ID, "text %d", i)
			}
		})
	}
}

func TestAppendLiteral_Forms(t *testing.T) {
	type weird struct{ X int }
	cases := []struct {
		v    any
		want string
		ok   bool
	}{
		{nil, "NULL", true},
		{"it's", `'it''s'`, true},
		{`a\b`, `_utf8mb4 X'615C62'`, true},
		{"\xff", `_utf8mb4 X'FF'`, true},
		{[]byte{0, 0xab}, `X'00AB'`, true},
		{[]byte(nil), "NULL", true},
		{int64(-42), "-42", true},
		{true, "1", true},
		{0.25, "0.25", true},
		{time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), `'2026-10-01'`, true},
		{time.Date(2026, 10, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)), `'2026-10-01'`, true},
		{time.Date(2026, 10, 1, 1, 2, 3, 450000000, time.UTC), `'2026-10-01 01:02:03.45'`, true},
		{time.Time{}, `'0000-00-00'`, true},
		{weird{1}, "", false},
	}
	for _, c := range cases {
		got, ok := sqlstore.AppendLiteral(nil, c.v)
		assert.Equal(t, c.ok, ok, "%#v", c.v)
		if c.ok {
			assert.Equal(t, c.want, string(got), "%#v", c.v)
		}
	}
}
