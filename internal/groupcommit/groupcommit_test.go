package groupcommit_test

import (
	"context"
	"errors"
	"strconv"
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

// TestSubmit_AnItemWhoseContextEndsWhileTheQueueIsFullIsNeverWritten lets a caller's context
// end while it waits for room behind a held write and a full queue: its Submit returns the
// context's error, its item takes no place in the queue and is never written, the items queued
// before it are written once the write is released, and the next item gets its own outcome.
func TestSubmit_AnItemWhoseContextEndsWhileTheQueueIsFullIsNeverWritten(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{})
	var (
		mu      sync.Mutex
		written []int
	)
	c := groupcommit.New(func(_ context.Context, group []int, results []error) {
		if group[0] == 1 {
			close(started)
			<-release
		}
		mu.Lock()
		defer mu.Unlock()
		for i, n := range group {
			written = append(written, n)
			results[i] = outcome(n)
		}
	}, groupcommit.Options{Writers: 1, MaxGroup: 1, Queue: 1})
	defer c.Close()

	var wg sync.WaitGroup
	wg.Go(func() { assert.Equal(t, outcome(1), c.Submit(context.Background(), 1)) })
	<-started // the writer holds item 1
	wg.Go(func() { assert.Equal(t, outcome(2), c.Submit(context.Background(), 2)) })
	require.Eventually(t, func() bool { return queued(c) == 1 }, 5*time.Second, time.Millisecond, "item 2 fills the queue")

	ctx, cancel := context.WithCancel(context.Background())
	wctx := &waitWatch{Context: ctx, waiting: make(chan struct{})}
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- c.Submit(wctx, 3) }()
	<-wctx.waiting // Submit waits on ctx only while there is no room in the queue
	cancel()
	select {
	case err := <-gaveUp:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(time.Minute):
		t.Fatal("Submit still waits for room after its context ended")
	}
	assert.Equal(t, 1, queued(c), "the item that gave up took no place in the queue")

	close(release)
	wg.Wait()
	assert.Equal(t, outcome(4), c.Submit(context.Background(), 4), "the next item gets its own outcome")
	mu.Lock()
	assert.Equal(t, []int{1, 2, 4}, written, "the item that gave up is never written")
	mu.Unlock()
	_, items := c.Stats()
	assert.Equal(t, uint64(3), items)
}

// outcome is the result a test's write gives item n, so that each caller can check it got its own.
type outcome int

func (o outcome) Error() string { return "outcome of item " + strconv.Itoa(int(o)) }

// waitWatch is a context that closes waiting the first time its Done channel is asked for.
type waitWatch struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func (w *waitWatch) Done() <-chan struct{} {
	w.once.Do(func() { close(w.waiting) })
	return w.Context.Done()
}

func queued(c *groupcommit.Committer[int]) int { return c.Waiting() }
