package access_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"skillrecord/internal/access"
)

type memStore struct {
	mu      sync.Mutex
	events  []access.Event
	batches int
	block   chan struct{}
}

func (m *memStore) RecordAccesses(_ context.Context, events []access.Event) error {
	if m.block != nil {
		<-m.block
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, events...)
	m.batches++
	return nil
}

func (m *memStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.events)
}

func ev(i int) access.Event {
	return access.Event{WorkerID: "w", ActorID: "a", ActorRole: "employer", What: access.WhatCertificateVerification, At: time.Now(), Why: string(rune('A' + i%26))}
}

func TestBuffer_WritesInBatchesAndCloseDrains(t *testing.T) {
	store := &memStore{}
	b := access.NewBuffer(store, slog.New(slog.DiscardHandler), time.Hour, 10, 100)
	for i := 0; i < 25; i++ {
		require.NoError(t, b.RecordAccess(context.Background(), ev(i)))
	}
	require.Eventually(t, func() bool { return store.count() == 20 }, 2*time.Second, 5*time.Millisecond, "two full batches written")
	b.Close()
	assert.Equal(t, 25, store.count(), "Close writes the rest")
	require.NoError(t, b.RecordAccess(context.Background(), ev(99)))
	assert.Equal(t, 26, store.count(), "after Close events are written at once")
}

func TestBuffer_FlushesOnTheTick(t *testing.T) {
	store := &memStore{}
	b := access.NewBuffer(store, slog.New(slog.DiscardHandler), 20*time.Millisecond, 1000, 100)
	defer b.Close()
	require.NoError(t, b.RecordAccess(context.Background(), ev(1)))
	require.Eventually(t, func() bool { return store.count() == 1 }, 2*time.Second, 5*time.Millisecond)
}

func TestBuffer_FullQueueWritesSynchronouslyAndLosesNothing(t *testing.T) {
	store := &memStore{block: make(chan struct{})}
	b := access.NewBuffer(store, slog.New(slog.DiscardHandler), time.Hour, 1, 2)
	done := make(chan struct{})
	go func() {
		for i := 0; i < 10; i++ {
			_ = b.RecordAccess(context.Background(), ev(i))
		}
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	close(store.block) // the database answers again
	<-done
	b.Close()
	assert.Equal(t, 10, store.count())
}
