package clustertest

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/apitest"
	"skillrecord/internal/credit"
	"skillrecord/internal/identity"
	"skillrecord/internal/testenv"
)

// The same batch posted through two instances on two nodes at the same instant: Galera lets
// both transactions run and fails one at commit (certification), which is retried and then
// finds the rows: one set of rows, every record created by exactly one answer, no credit
// doubled.
func TestGalera_SameBatchThroughTwoInstancesAtOnceWritesOnce(t *testing.T) {
	dsns := testenv.GaleraDatabase(t)
	d := newDeployment(t, store(t, dsns[0]), store(t, dsns[len(dsns)-1]))
	const rounds, size = 3, 20
	people := d.people(t, rounds*size)
	ctx := context.Background()
	for round := range rounds {
		records := make([]map[string]any, size)
		for i := range records {
			records[i] = trainingRecord(people[round*size+i], fmt.Sprintf("batch-%d-%d", round, i))
		}
		body := map[string]any{"records": records}
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			res   [2]*apitest.Response
		)
		for i, c := range []*apitest.Client{d.instA, d.instB} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res[i] = c.Do("POST", "/api/v1/trainings/batch", body)
			}()
		}
		close(start)
		wg.Wait()
		created := make([]int, size)
		for i, r := range res {
			require.Equalf(t, http.StatusOK, r.Status, "round %d, instance %d: %s", round, i, r.Body)
			var out struct {
				Results []struct {
					Index  int    `json:"index"`
					Status string `json:"status"`
				} `json:"results"`
			}
			r.JSON(t, &out)
			require.Len(t, out.Results, size)
			for _, x := range out.Results {
				if x.Status == "created" {
					created[x.Index]++
				}
			}
		}
		for i, n := range created {
			assert.Equalf(t, 1, n, "round %d: record %d is created by exactly one of the two answers", round, i)
		}
	}
	var rows int
	require.NoError(t, d.a.DB.SQL().QueryRow("SELECT COUNT(*) FROM trainings").Scan(&rows))
	assert.Equal(t, rounds*size, rows, "one row per record")
	for _, p := range people {
		w, err := d.b.DB.Workers(d.b.Keys).WorkerBySSN(ctx, identity.SSN(p.SSN))
		require.NoError(t, err)
		acc, err := d.b.DB.Ledger().Account(ctx, w.ID)
		require.NoError(t, err)
		assert.Equal(t, credit.Tenths(25), acc.Balance, "2.5 credits, not doubled")
	}
}
