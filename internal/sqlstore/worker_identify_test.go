package sqlstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/identity"
	"skillrecord/internal/sqlstore"
	"skillrecord/internal/worker"
)

func TestIdentify_FindsRegisteredWorkersAndChecksNames(t *testing.T) {
	eachStore(t, func(t *testing.T, s *sqlstore.WorkerStore, _ *sqlstore.DB) {
		for i := range 3 {
			importRows(t, s, row(nthSSN(i), nthName(i), nthCard(i), "active", "2020-02-02"))
		}
		unknown := nthSSN(99)
		known, err := s.Identify(context.Background(), []identity.SSN{nthSSN(0), nthSSN(2), unknown, nthSSN(0)})
		require.NoError(t, err)
		require.Len(t, known, 2)
		assert.NotEmpty(t, known[nthSSN(0)].WorkerID)

		id, code := worker.CheckRealName(s, known, nthSSN(0), "  "+nthName(0)+" ")
		assert.Equal(t, known[nthSSN(0)].WorkerID, id)
		assert.Empty(t, code, "the name is compared in its normal form")
		_, code = worker.CheckRealName(s, known, nthSSN(2), nthName(1))
		assert.Equal(t, worker.CodeNameMismatch, code)
		_, code = worker.CheckRealName(s, known, unknown, nthName(0))
		assert.Equal(t, worker.CodeUnknownCardholder, code)
	})
}
