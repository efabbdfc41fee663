package cli

import (
	"log/slog"
	"runtime/debug"
)

// The garbage collector's settings of serve when the operator has not set GOGC or GOMEMLIMIT.
// Go's default (GOGC 100) collects each time the heap has doubled: the service's live heap is
// small (tens of MB) and its requests allocate a few kB each, so under load it collected
// many times a second and the collector took about a tenth of the CPU of a cached read.
// defaultGCPercent lets the heap grow to four times the live heap before a collection;
// defaultMemoryLimit, well under the 256 MiB the service is sized for, makes the collector
// work harder before the heap could get near it, whatever GOGC allows.
const (
	defaultGCPercent   = 300
	defaultMemoryLimit = 192 << 20
)

// tuneGC applies the defaults that getenv's GOGC and GOMEMLIMIT leave unset (the runtime has
// read those already) and returns a function that puts back what was in force before.
func tuneGC(getenv func(string) string, log *slog.Logger) (restore func()) {
	var undo []func()
	if getenv("GOGC") == "" {
		was := debug.SetGCPercent(defaultGCPercent)
		undo = append(undo, func() { debug.SetGCPercent(was) })
		log.Info("GOGC is not set: serve sets the garbage collector's percent", "gc_percent", defaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		was := debug.SetMemoryLimit(defaultMemoryLimit)
		undo = append(undo, func() { debug.SetMemoryLimit(was) })
		log.Info("GOMEMLIMIT is not set: serve sets a soft memory limit", "memory_limit_bytes", defaultMemoryLimit)
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}
