package groupcommit_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/groupcommit"
)

func TestSubmit_ReturnsEachItemsOwnOutcomeAfterItsGroupIsWritten(t *testing.T) {
	var (
		mu      sync.Mutex
		written = map[int]bool{}
	)
	odd := errors.New("odd")
	c := groupcommit.New(func(_ context.Context, group []int, results []error) {
		mu.Lock()
		defer mu.Unlock()
		for i, n := range group {
			if n%2 == 1 {
				results[i] = odd
				continue
			}
			written[n] = true
		}
	}, groupcommit.Options{Writers: 2, MaxGroup: 8, Queue: 16})
	defer c.Close()

	var wg sync.WaitGroup
	for n := range 200 {
		wg.Go(func() {
			err := c.Submit(context.Background(), n)
			if n%2 == 1 {
				assert.ErrorIs(t, err, odd, "item %d", n)
				return
			}
			assert.NoError(t, err, "item %d", n)
			mu.Lock()
			assert.True(t, written[n], "item %d answered before its group was written", n)
			mu.Unlock()
		})
	}
	wg.Wait()
	groups, items := c.Stats()
	assert.Equal(t, uint64(200), items)
	assert.LessOrEqual(t, groups, uint64(200))
}

func TestSubmit_GroupsTheItemsThatArriveWhileAWriteRuns(t *testing.T) {
	release := make(chan struct{})
	var sizes []int
	var mu sync.Mutex
	c := groupcommit.New(func(_ context.Context, group []int, _ []error) {
		mu.Lock()
		sizes = append(sizes, len(group))
		first := len(sizes) == 1
		mu.Unlock()
		if first {
			<-release // hold the first write while the others queue
		}
	}, groupcommit.Options{Writers: 1, MaxGroup: 50, Queue: 100})
	defer c.Close()

	var wg sync.WaitGroup
	wg.Go(func() { assert.NoError(t, c.Submit(context.Background(), 0)) })
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(sizes) == 1 }, 5*time.Second, time.Millisecond)
	for n := 1; n <= 30; n++ {
		wg.Go(func() { assert.NoError(t, c.Submit(context.Background(), n)) })
	}
	require.Eventually(t, func() bool { return queued(c) == 30 }, 5*time.Second, time.Millisecond)
	close(release)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []int{1, 30}, sizes, "the 30 items queued behind the first write go in one group")
}

func TestSubmit_NoGroupIsLargerThanMaxGroup(t *testing.T) {
	var largest atomic.Int64
	c := groupcommit.New(func(_ context.Context, group []int, _ []error) {
		if n := int64(len(group)); n > largest.Load() {
			largest.Store(n)
		}
		time.Sleep(time.Millisecond)
	}, groupcommit.Options{Writers: 1, MaxGroup: 5, Queue: 100})
	defer c.Close()
	var wg sync.WaitGroup
	for n := range 100 {
		wg.Go(func() { assert.NoError(t, c.Submit(context.Background(), n)) })
	}
	wg.Wait()
	assert.LessOrEqual(t, largest.Load(), int64(5))
}

func TestClose_WritesWhatIsQueuedAndRefusesLaterItems(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{})
	var written atomic.Int64
	c := groupcommit.New(func(_ context.Context, group []int, _ []error) {
		if len(group) == 1 && group[0] == 0 {
			close(started)
			<-release
		}
		written.Add(int64(len(group)))
	}, groupcommit.Options{Writers: 1, MaxGroup: 1, Queue: 10})

	var wg sync.WaitGroup
	for n := range 5 {
		wg.Go(func() { assert.NoError(t, c.Submit(context.Background(), n)) })
		if n == 0 {
			<-started // item 0 is being written; the others queue behind it
		}
	}
	require.Eventually(t, func() bool { return queued(c) == 4 }, 5*time.Second, time.Millisecond)
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	close(release)
	<-closed
	wg.Wait()
	assert.Equal(t, int64(5), written.Load(), "every item queued before Close is written")
	assert.ErrorIs(t, c.Submit(context.Background(), 9), groupcommit.ErrClosed)
}

func TestSubmit_GivesUpWaitingForRoomWhenTheContextEnds(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{}, 2)
	c := groupcommit.New(func(context.Context, []int, []error) { started <- struct{}{}; <-release },
		groupcommit.Options{Writers: 1, MaxGroup: 1, Queue: 1})
	defer c.Close()
	defer close(release)
	go func() { _ = c.Submit(context.Background(), 1) }() // taken by the writer, which blocks
	<-started
	go func() { _ = c.Submit(context.Background(), 2) }() // fills the queue
	require.Eventually(t, func() bool { return queued(c) == 1 }, 5*time.Second, time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, c.Submit(ctx, 3), context.DeadlineExceeded)
}

func queued(c *groupcommit.Committer[int]) int { return c.Waiting() }
