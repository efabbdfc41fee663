package cached

import (
	"context"
	"log/slog"
	"time"

	"skillrecord/internal/cache"
	"skillrecord/internal/record"
)

// Records caches workers' records: each entry holds the worker's own answer already rendered
// (body and ETag, written out as they are on a hit) and the summary it was rendered from (for
// shares and admin lookups). Both carry the worker's name and SSN, so the entry is sealed with
// the data keyring before it reaches Redis; the key is the opaque worker id. Every write that
// touches a worker calls WorkerChanged after its commit.
type Records struct {
	src    record.Sources
	loader *cache.Loader[recordEntry]
	render record.Render
	now    func() time.Time
	log    *slog.Logger
}

// NewRecords caches records built from src and rendered by render for ttl, sealed by sealer;
// now is the clock that decides certificate expiry in the rendered answer.
func NewRecords(c *cache.Cache, src record.Sources, ttl time.Duration, sealer cache.Sealer, log *slog.Logger,
	render record.Render, now func() time.Time) *Records {
	return &Records{src: src, render: render, now: now, log: log,
		loader: cache.NewLoader[recordEntry](c, "record", ttl, cache.WithSealer(sealer), cache.WithCodec[recordEntry](recordCodec{}))}
}

// entry returns a worker's entry from the cache, or builds and renders it as of today.
func (r *Records) entry(ctx context.Context, workerID, today string) (recordEntry, error) {
	return r.loader.Get(ctx, workerID, func(ctx context.Context) (recordEntry, error) {
		s, err := record.Build(ctx, r.src, workerID)
		if err != nil {
			return recordEntry{}, err
		}
		return r.renderEntry(s, today)
	})
}

// Summary returns a worker's summary from the cache, or builds it.
func (r *Records) Summary(ctx context.Context, workerID string) (record.Summary, error) {
	e, err := r.entry(ctx, workerID, record.Today(r.now()))
	if err != nil {
		return record.Summary{}, err
	}
	return e.decodeSummary()
}

// View returns the worker's own rendered record: on a hit, the stored bytes as they are; it
// renders again only when a certificate has expired since the entry was rendered.
func (r *Records) View(ctx context.Context, workerID string) (record.View, error) {
	today := record.Today(r.now())
	e, err := r.entry(ctx, workerID, today)
	if err != nil {
		return record.View{}, err
	}
	if e.view.HoldsOn(today) {
		return e.view, nil
	}
	s, err := e.decodeSummary()
	if err != nil {
		return record.View{}, err
	}
	return r.render(s, today)
}

// Prefetch announces that the request will read workerID's record, so that the read rides
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
