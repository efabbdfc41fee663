package cached

import (
	"context"
	"log/slog"
	"time"

	"skillrecord/internal/cache"
	"skillrecord/internal/record"
)

// Records caches workers' record summaries. A summary carries the worker's name and SSN, so
// it is sealed with the data keyring before it reaches Redis; the key is the opaque worker id.
// Every write that touches a worker calls WorkerChanged after its commit.
type Records struct {
	src    record.Sources
	loader *cache.Loader[record.Summary]
	log    *slog.Logger
}

// NewRecords caches summaries built from src for ttl, sealed by sealer.
func NewRecords(c *cache.Cache, src record.Sources, ttl time.Duration, sealer cache.Sealer, log *slog.Logger) *Records {
	return &Records{src: src, loader: cache.NewLoader[record.Summary](c, "record", ttl, cache.WithSealer(sealer)), log: log}
}

// Summary returns a worker's summary from the cache, or builds it.
func (r *Records) Summary(ctx context.Context, workerID string) (record.Summary, error) {
	return r.loader.Get(ctx, workerID, func(ctx context.Context) (record.Summary, error) {
		return record.Build(ctx, r.src, workerID)
	})
}

// Prefetch announces that the request will read workerID's summary, so that the read rides
// along with the request's first cache read (the token deny-list check).
func (r *Records) Prefetch(ctx context.Context, workerID string) context.Context {
	return r.loader.Prefetch(ctx, workerID)
}

// WorkerChanged forgets the summaries of workers whose data has just changed.
func (r *Records) WorkerChanged(ctx context.Context, workerIDs ...string) {
	if len(workerIDs) == 0 {
		return
	}
	if err := r.loader.Invalidate(context.WithoutCancel(ctx), workerIDs...); err != nil {
		r.log.WarnContext(ctx, "could not invalidate cached worker records; replayed before the cache is read again",
			"workers", len(workerIDs), "error", err.Error())
	}
}
