package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
	"skillrecord/internal/errs"
	"skillrecord/internal/testenv"
)

// gatedStore holds the first write until released, so that a test can line callers up
// behind it; every later write goes straight through.
type gatedStore struct {
	next    access.BatchStore
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (g *gatedStore) RecordAccesses(ctx context.Context, events []access.Event) error {
	g.once.Do(func() {
		close(g.entered)
		<-g.release
	})
	return g.next.RecordAccesses(ctx, events)
}

func TestCommitter_EventIsCommittedWhenRecordAccessReturns(t *testing.T) {
	db := testenv.MySQL(t)
	store := db.Access(testKeys(t))
	c := access.NewCommitter(store, 2, 100, 100)
	defer c.Close()
	ctx := context.Background()
	w := uuid.NewString()
	for i := range 5 {
		require.NoError(t, c.RecordAccess(ctx, accessEvent(w, access.WhatCertificateVerification, fmt.Sprint("CERT-", i), auditNow)))
		got, err := store.AccessEvents(ctx, w, 0, 100)
		require.NoError(t, err)
		assert.Len(t, got, i+1, "the event is in the table as soon as RecordAccess returns")
	}
	batches, events := c.Stats()
	assert.Equal(t, uint64(5), batches, "a lone caller is written at once, alone")
	assert.Equal(t, uint64(5), events)
}

func TestCommitter_ConcurrentCallersShareOneInsert(t *testing.T) {
	db := testenv.MySQL(t)
	store := db.Access(testKeys(t))
	gate := &gatedStore{next: store, entered: make(chan struct{}), release: make(chan struct{})}
	c := access.NewCommitter(gate, 1, 100, 100)
	defer c.Close()
	ctx := context.Background()
	w := uuid.NewString()

	first := make(chan error, 1)
	go func() {
		first <- c.RecordAccess(ctx, accessEvent(w, access.WhatCertificateVerification, "FIRST", auditNow))
	}()
	<-gate.entered // the first insert is under way and held

	const n = 20
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.RecordAccess(ctx, accessEvent(w, access.WhatCertificateVerification, fmt.Sprint("CERT-", i), auditNow))
		}()
	}
	require.Eventually(t, func() bool { return c.Waiting() == n }, 10*time.Second, time.Millisecond, "all callers queue behind the running insert")
	close(gate.release)
	require.NoError(t, <-first)
	wg.Wait()
	for i, err := range results {
		require.NoError(t, err, "caller %d", i)
	}

	got, err := store.AccessEvents(ctx, w, 0, 100)
	require.NoError(t, err)
	assert.Len(t, got, n+1, "every event committed")
	batches, events := c.Stats()
	assert.Equal(t, uint64(2), batches, "the queued callers shared one insert")
	assert.Equal(t, uint64(n+1), events)
}

func TestCommitter_FailedInsertFailsEveryWaiterWithUnavailable(t *testing.T) {
	db := testenv.MySQL(t)
	store := db.Access(testKeys(t))
	c := access.NewCommitter(store, 2, 100, 100)
	defer c.Close()
	ctx := context.Background()
	_, err := db.SQL().ExecContext(ctx, "RENAME TABLE access_events TO access_events_away")
	require.NoError(t, err)

	var wg sync.WaitGroup
	results := make([]error, 10)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.RecordAccess(ctx, accessEvent(uuid.NewString(), access.WhatCertificateVerification, "X", auditNow))
		}()
	}
	wg.Wait()
	for i, err := range results {
		require.Error(t, err, "caller %d must not be told its event was written", i)
		assert.Equal(t, errs.KindUnavailable, errs.KindOf(err))
		assert.Equal(t, "unavailable", errs.CodeOf(err))
	}
	batches, _ := c.Stats()
	assert.Zero(t, batches)

	_, err = db.SQL().ExecContext(ctx, "RENAME TABLE access_events_away TO access_events")
	require.NoError(t, err)
	require.NoError(t, c.RecordAccess(ctx, accessEvent(uuid.NewString(), access.WhatCertificateVerification, "Y", auditNow)), "the committer carries on once the database answers")
}

func TestCommitter_CloseAnswersQueuedCallersAndRefusesLaterOnes(t *testing.T) {
	db := testenv.MySQL(t)
	store := db.Access(testKeys(t))
	c := access.NewCommitter(store, 2, 100, 100)
	ctx := context.Background()
	w := uuid.NewString()
	require.NoError(t, c.RecordAccess(ctx, accessEvent(w, access.WhatCertificateVerification, "A", auditNow)))
	c.Close()
	err := c.RecordAccess(ctx, accessEvent(w, access.WhatCertificateVerification, "B", auditNow))
	assert.Equal(t, errs.KindUnavailable, errs.KindOf(err), "after Close nothing is answered as written")
	got, err := store.AccessEvents(ctx, w, 0, 10)
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

// BenchmarkCommitter is the group commit alone on MariaDB: 16 callers a core each waiting for
// their event's commit, as verifications do, with 1, 4, 8 and 16 committers. It reports how
// many events an insert carried, the CPU time of this process per event and, where it can be
// read, that of the database server's threads serving the inserts (db-cpu-µs/op).
func BenchmarkCommitter(b *testing.B) {
	db := testenv.MySQL(b)
	store := db.Access(testKeys(b))
	for _, workers := range []int{1, 4, 8, 16} {
		b.Run(fmt.Sprintf("committers=%d", workers), func(b *testing.B) {
			c := access.NewCommitter(store, workers, 500, 2000)
			defer c.Close()
			ctx := context.Background()
			for range 4 * workers { // open the committers' connections, so that their threads are seen
				_ = c.RecordAccess(ctx, accessEvent(uuid.NewString(), access.WhatCertificateVerification, "CERT-0", auditNow))
			}
			threads, measured := serverThreads(b, db.SQL())
			b.SetParallelism(16)
			b.ResetTimer()
			cpu, dbCPU := processCPU(b), threads.cpu()
			batches0, events0 := c.Stats()
			b.RunParallel(func(pb *testing.PB) {
				w := uuid.NewString()
				for pb.Next() {
					if err := c.RecordAccess(ctx, accessEvent(w, access.WhatCertificateVerification, "CERT-1", auditNow)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64((processCPU(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
			if measured {
				b.ReportMetric(float64((threads.cpu()-dbCPU).Microseconds())/float64(b.N), "db-cpu-µs/op")
			}
			batches, events := c.Stats()
			if batches > batches0 {
				b.ReportMetric(float64(events-events0)/float64(batches-batches0), "events/insert")
			}
		})
	}
}

// processCPU is the CPU time (user and system) this process has used so far.
func processCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
