package worker_test

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/errs"
	"skillrecord/internal/identity"
	"skillrecord/internal/worker"
)

// untouchedStore fails the test if Import writes anything.
type untouchedStore struct{ t *testing.T }

func (s untouchedStore) UpdateRegistry(context.Context, []identity.SSN, []string, func(*worker.Registry) error) error {
	s.t.Fatal("Import wrote to the store")
	return nil
}

func (s untouchedStore) WorkerBySSN(context.Context, identity.SSN) (worker.Worker, error) {
	s.t.Fatal("unexpected lookup")
	return worker.Worker{}, nil
}

func (s untouchedStore) LockWorker(context.Context, identity.SSN, func(context.Context, worker.Worker) error) error {
	s.t.Fatal("the store was used")
	return nil
}

func (s untouchedStore) Activate(context.Context, string, string, time.Time) error {
	s.t.Fatal("unexpected activation")
	return nil
}

func repeatRows(n int, tail error) iter.Seq2[worker.ImportRow, error] {
	return func(yield func(worker.ImportRow, error) bool) {
		for range n {
			if !yield(goodRow(), nil) {
				return
			}
		}
		if tail != nil {
			yield(worker.ImportRow{}, tail)
		}
	}
}

func TestImport_MoreThanTheLimitIsRefusedBeforeAnythingIsWritten(t *testing.T) {
	_, err := worker.Import(context.Background(), untouchedStore{t}, repeatRows(worker.MaxImportRows+1, nil), now)
	require.Error(t, err)
	assert.Equal(t, errs.KindInvalid, errs.KindOf(err))
	assert.Equal(t, worker.CodeImportTooLarge, errs.CodeOf(err))
}

func TestImport_AReadErrorLateInTheBodyWritesNothing(t *testing.T) {
	cut := errs.Malformed("malformed_csv", "CSV line 3000: wrong number of fields")
	_, err := worker.Import(context.Background(), untouchedStore{t}, repeatRows(2999, cut), now)
	assert.True(t, errors.Is(err, cut))
}

func TestImport_OnlyBadRowsWriteNothingAndAreAllReported(t *testing.T) {
	rows := func(yield func(worker.ImportRow, error) bool) {
		r := goodRow()
		r.SSN = "bad"
		_ = yield(r, nil) && yield(worker.ImportRow{}, nil)
	}
	res, err := worker.Import(context.Background(), untouchedStore{t}, rows, now)
	require.NoError(t, err)
	assert.Zero(t, res.Imported)
	assert.Zero(t, res.Updated)
	assert.Equal(t, []worker.RowError{
		{Index: 0, Field: "ssn", Code: "invalid_ssn"},
		{Index: 1, Field: "ssn", Code: "required"},
		{Index: 1, Field: "name", Code: "required"},
		{Index: 1, Field: "card_number", Code: "required"},
		{Index: 1, Field: "issue_area", Code: "required"},
	}, res.Errors)
}

func TestActivate_FieldsAndPasswordAreCheckedBeforeTheRegistry(t *testing.T) {
	cases := []struct {
		name string
		in   worker.ActivateInput
		code string
	}{
		{"weak password", worker.ActivateInput{SSN: exampleSSN, Name: "张三", CardNumber: "A12345678", Password: "short1"}, "weak_password"},
		{"no digit", worker.ActivateInput{SSN: exampleSSN, Name: "张三", CardNumber: "A12345678", Password: "onlyletters"}, "weak_password"},
		{"missing password", worker.ActivateInput{SSN: exampleSSN, Name: "张三", CardNumber: "A12345678"}, "required"},
		{"bad ssn", worker.ActivateInput{SSN: "110105194912310021", Name: "张三", CardNumber: "A12345678", Password: "passw0rd-ok"}, "invalid_ssn"},
		{"bad card", worker.ActivateInput{SSN: exampleSSN, Name: "张三", CardNumber: "A1", Password: "passw0rd-ok"}, "invalid_card_number"},
		{"missing name", worker.ActivateInput{SSN: exampleSSN, CardNumber: "A12345678", Password: "passw0rd-ok"}, "required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := worker.Activate(context.Background(), untouchedStore{t}, tc.in, now)
			require.Error(t, err)
			assert.Equal(t, errs.KindInvalid, errs.KindOf(err))
			assert.Equal(t, tc.code, errs.CodeOf(err))
			assert.NotEmpty(t, errs.As(err).Fields)
		})
	}
}
