package audit_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"skillrecord/internal/audit"
)

func TestTouch_CollectsEachWorkerOnceAndIsANoOpWithoutACollector(t *testing.T) {
	audit.Touch(context.Background(), "w-1") // no collector: nothing happens, nothing breaks

	ctx, col, nested := audit.NewContext(context.Background(), "req-12345678")
	assert.False(t, nested)
	var wg sync.WaitGroup
	for _, id := range []string{"w-2", "w-1", "w-2", "", "w-3"} {
		wg.Add(1)
		go func() { defer wg.Done(); audit.Touch(ctx, id) }()
	}
	wg.Wait()
	assert.Equal(t, []string{"w-1", "w-2", "w-3"}, col.Workers())
	assert.Equal(t, "req-12345678", audit.RequestID(ctx))
	assert.Empty(t, audit.RequestID(context.Background()))

	ctx2, col2, nested := audit.NewContext(ctx, "other")
	assert.True(t, nested, "a second installation reuses the first collector")
	assert.Same(t, col, col2)
	assert.Equal(t, ctx, ctx2)
	assert.True(t, col.Claim(), "the first to record claims the event")
	assert.False(t, col2.Claim(), "the other installation steps aside")
}
