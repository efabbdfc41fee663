package worker_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func holder(ssn identity.SSN, name, card string, status worker.CardStatus) worker.Cardholder {
	return worker.Cardholder{SSN: ssn, Name: name, CardNumber: card, IssueArea: "370400", CardStatus: status}
}

var (
	ssnA = identity.MakeSSN("370402", time.Date(1980, 5, 6, 0, 0, 0, 0, time.UTC), 11)
	ssnB = identity.MakeSSN("370402", time.Date(1981, 5, 6, 0, 0, 0, 0, time.UTC), 12)
)

func TestRegistryApply_NewSSNCreatesWorkerAndCard(t *testing.T) {
	reg := worker.NewRegistry(nil, nil)
	created, err := reg.Apply(holder(ssnA, "张三", "A00000001", worker.CardActive), t0)
	require.NoError(t, err)
	assert.True(t, created)
	ch := reg.Changes()
	require.Len(t, ch.NewWorkers, 1)
	require.Len(t, ch.NewCards, 1)
	assert.Empty(t, ch.RenamedWorkers)
	assert.Empty(t, ch.UpdatedCards)
	w, c := ch.NewWorkers[0], ch.NewCards[0]
	assert.Equal(t, ssnA, w.SSN)
	assert.Equal(t, "张三", w.Name)
	assert.Equal(t, w.ID, c.WorkerID)
	assert.Equal(t, worker.CardActive, c.Status)
	assert.Equal(t, t0, w.CreatedAt)
}

func existing() (worker.Worker, worker.Card) {
	w := worker.Worker{ID: "w1", SSN: ssnA, Name: "张三", CreatedAt: t0, UpdatedAt: t0}
	c := worker.Card{ID: "c1", WorkerID: "w1", Number: "A00000001", IssueArea: "370400", Status: worker.CardActive,
		IssuedOn: worker.Date{Y: 2020, M: 1, D: 1}, CreatedAt: t0, UpdatedAt: t0}
	return w, c
}

func TestRegistryApply_SameRowChangesNothing(t *testing.T) {
	w, c := existing()
	reg := worker.NewRegistry([]worker.Worker{w}, []worker.Card{c})
	row := holder(ssnA, "张三", "A00000001", worker.CardActive)
	created, err := reg.Apply(row, t0.Add(time.Hour))
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, worker.Changes{}, reg.Changes(), "a row without issued_on keeps the known date")
}

func TestRegistryApply_NewActiveCardReplacesTheCurrentOne(t *testing.T) {
	w, c := existing()
	reg := worker.NewRegistry([]worker.Worker{w}, []worker.Card{c})
	later := t0.Add(time.Hour)
	_, err := reg.Apply(holder(ssnA, "张三", "B00000002", worker.CardActive), later)
	require.NoError(t, err)
	ch := reg.Changes()
	assert.Empty(t, ch.NewWorkers)
	require.Len(t, ch.NewCards, 1)
	assert.Equal(t, "B00000002", ch.NewCards[0].Number)
	assert.Equal(t, worker.CardActive, ch.NewCards[0].Status)
	require.Len(t, ch.UpdatedCards, 1)
	assert.Equal(t, "c1", ch.UpdatedCards[0].ID)
	assert.Equal(t, worker.CardReplaced, ch.UpdatedCards[0].Status)
	assert.Equal(t, later, ch.UpdatedCards[0].UpdatedAt)
}

func TestRegistryApply_NewLostCardLeavesTheCurrentOne(t *testing.T) {
	w, c := existing()
	reg := worker.NewRegistry([]worker.Worker{w}, []worker.Card{c})
	_, err := reg.Apply(holder(ssnA, "张三", "B00000002", worker.CardLost), t0)
	require.NoError(t, err)
	ch := reg.Changes()
	require.Len(t, ch.NewCards, 1)
	assert.Empty(t, ch.UpdatedCards)
}

func TestRegistryApply_RenameAndStatusChange(t *testing.T) {
	w, c := existing()
	reg := worker.NewRegistry([]worker.Worker{w}, []worker.Card{c})
	_, err := reg.Apply(holder(ssnA, "张三丰", "A00000001", worker.CardLost), t0.Add(time.Hour))
	require.NoError(t, err)
	ch := reg.Changes()
	require.Len(t, ch.RenamedWorkers, 1)
	assert.Equal(t, "张三丰", ch.RenamedWorkers[0].Name)
	require.Len(t, ch.UpdatedCards, 1)
	assert.Equal(t, worker.CardLost, ch.UpdatedCards[0].Status)
	assert.Equal(t, worker.Date{Y: 2020, M: 1, D: 1}, ch.UpdatedCards[0].IssuedOn)
}

func TestRegistryApply_CardOfAnotherSSNIsAConflictAndAppliesNothing(t *testing.T) {
	w, c := existing()
	reg := worker.NewRegistry([]worker.Worker{w}, []worker.Card{c})
	_, err := reg.Apply(holder(ssnB, "李四", "A00000001", worker.CardActive), t0)
	require.Error(t, err)
	assert.Equal(t, worker.CodeCardConflict, codeOf(err))
	assert.Equal(t, worker.Changes{}, reg.Changes())
}

func TestRegistryApply_RowsOfOneBatchSeeEachOther(t *testing.T) {
	reg := worker.NewRegistry(nil, nil)
	created, err := reg.Apply(holder(ssnA, "张三", "A00000001", worker.CardActive), t0)
	require.NoError(t, err)
	assert.True(t, created)
	created, err = reg.Apply(holder(ssnA, "张三", "B00000002", worker.CardActive), t0)
	require.NoError(t, err)
	assert.False(t, created)
	_, err = reg.Apply(holder(ssnB, "李四", "B00000002", worker.CardActive), t0)
	assert.Equal(t, worker.CodeCardConflict, codeOf(err))

	ch := reg.Changes()
	require.Len(t, ch.NewWorkers, 1)
	require.Len(t, ch.NewCards, 2)
	assert.Empty(t, ch.UpdatedCards, "a card created in the batch is inserted in its final state")
	assert.Equal(t, worker.CardReplaced, ch.NewCards[0].Status)
	assert.Equal(t, worker.CardActive, ch.NewCards[1].Status)
}
