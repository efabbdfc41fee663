package training_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/training"
)

func TestSameAs_IdenticalContentIsUnchanged(t *testing.T) {
	a := mustRecord(t, validInput())
	b := validInput()
	b.Name = " 张三 "
	b.TraineeGroups = []string{"youth", "migrant_worker"} // other order
	b.SSN = " " + b.SSN
	assert.True(t, a.SameAs(mustRecord(t, b)))
	assert.True(t, a.SameAs(a))

	noGroups := validInput()
	noGroups.TraineeGroups = nil
	emptyGroups := validInput()
	emptyGroups.TraineeGroups = []string{}
	assert.True(t, mustRecord(t, noGroups).SameAs(mustRecord(t, emptyGroups)))
}

func TestSameAs_AnyDifferenceIsAConflict(t *testing.T) {
	tests := []struct {
		name   string
		change func(*training.Input)
	}{
		{"name", func(in *training.Input) { in.Name = "李四" }},
		{"ssn", func(in *training.Input) { in.SSN = "11010519491231002X" }},
		{"course", func(in *training.Input) { in.CourseName = "电工" }},
		{"type", func(in *training.Input) { in.TrainingType = training.TypeOther }},
		{"occupation code", func(in *training.Input) { in.OccupationCode = "6-18-01-02" }},
		{"occupation name absent", func(in *training.Input) { in.OccupationName = "" }},
		{"level absent", func(in *training.Input) { in.Level = nil }},
		{"level other", func(in *training.Input) { in.Level = ptr(3) }},
		{"hours", func(in *training.Input) { in.Hours = ptr(41) }},
		{"start", func(in *training.Input) { in.StartDate = "2026-03-02" }},
		{"end", func(in *training.Input) { in.EndDate = "2026-03-21" }},
		{"result", func(in *training.Input) { in.Result = training.ResultFailed }},
		{"subsidy absent", func(in *training.Input) { in.SubsidyAmountCents = nil }},
		{"subsidy amount", func(in *training.Input) { in.SubsidyAmountCents = ptr(int64(150001)) }},
		{"not subsidised", func(in *training.Input) { in.Subsidized, in.SubsidyAmountCents = ptr(false), nil }},
		{"fewer groups", func(in *training.Input) { in.TraineeGroups = []string{"youth"} }},
		{"other groups", func(in *training.Input) { in.TraineeGroups = []string{"youth", "veteran"} }},
	}
	base := mustRecord(t, validInput())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.change(&in)
			other := mustRecord(t, in)
			assert.False(t, base.SameAs(other))
			assert.False(t, other.SameAs(base))
		})
	}
}

func mustRecord(t *testing.T, in training.Input) training.Record {
	t.Helper()
	r, fields := in.Validate(today)
	require.Empty(t, fields)
	return r
}
