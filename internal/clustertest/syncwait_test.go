package clustertest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/testenv"
)

// A worker reads their record through one instance right after an institution posted through
// another instance on another node. Galera applies a write-set on the other nodes shortly after
// it commits; with wsrep_sync_wait=1 in the reading instance's DSN (store sets it), a read waits
// until its node has applied everything committed before it began, so the posting is always seen.
func TestGalera_ReadThroughAnotherNodeWithSyncWaitSeesThePosting(t *testing.T) {
	dsns := testenv.GaleraDatabase(t)
	reader := store(t, dsns[len(dsns)-1])
	d := newDeployment(t, store(t, dsns[0]), reader)
	p, _, tok := d.b.WorkerToken(t, d.admin)
	worker := d.b.As(tok)
	for i := range 10 {
		res := d.instA.Do("POST", "/api/v1/trainings", trainingRecord(p, fmt.Sprintf("ryw-%d", i)))
		require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)

		rec := worker.Do("GET", "/api/v1/me/record", nil)
		require.Equal(t, http.StatusOK, rec.Status, "%s", rec.Body)
		var body struct {
			Credits struct {
				Balance float64 `json:"balance"`
			} `json:"credits"`
		}
		rec.JSON(t, &body)
		assert.InDeltaf(t, 2.5*float64(i+1), body.Credits.Balance, 0.01, "after posting %d", i+1)
	}
}
