package cli

import (
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTuneGC_SetsTheDefaultsOnlyWhereTheOperatorSetNothing(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(1<<40)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	log := slog.New(slog.DiscardHandler)

	restore := tuneGC(func(string) string { return "" }, log)
	assert.Equal(t, defaultGCPercent, debug.SetGCPercent(defaultGCPercent))
	assert.EqualValues(t, defaultMemoryLimit, debug.SetMemoryLimit(-1))
	restore()
	assert.Equal(t, 100, debug.SetGCPercent(100), "put back when serve returns")
	assert.EqualValues(t, 1<<40, debug.SetMemoryLimit(-1))

	env := map[string]string{"GOGC": "150", "GOMEMLIMIT": "100MiB"}
	restore = tuneGC(func(k string) string { return env[k] }, log)
	assert.Equal(t, 100, debug.SetGCPercent(100), "the operator's GOGC (read by the runtime) stays")
	assert.EqualValues(t, 1<<40, debug.SetMemoryLimit(-1), "the operator's GOMEMLIMIT stays")
	restore()

	env = map[string]string{"GOMEMLIMIT": "100MiB"}
	restore = tuneGC(func(k string) string { return env[k] }, log)
	assert.Equal(t, defaultGCPercent, debug.SetGCPercent(defaultGCPercent), "GOGC alone is set")
	assert.EqualValues(t, 1<<40, debug.SetMemoryLimit(-1))
	restore()
}
