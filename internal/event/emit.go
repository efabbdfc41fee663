package event

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/google/uuid"

	"skillrecord/internal/errs"
)

// Batch holds the events emitted in one attempt of a transaction, in emission order.
type Batch struct {
	mu     sync.Mutex
	events []Event
}

type batchKey struct{}

// NewBatch returns ctx carrying a fresh Batch: sqlstore's WithTx calls it for each attempt of
// an outermost transaction and stores Events just before the commit.
func NewBatch(ctx context.Context) (context.Context, *Batch) {
	b := &Batch{}
	return context.WithValue(ctx, batchKey{}, b), b
}

// Events returns what was emitted, in order.
func (b *Batch) Events() []Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.events
}

// ErrNoTransaction is the cause of Emit's error outside a transaction.
var ErrNoTransaction = errors.New("event: Emit outside a transaction")

// Emit adds events to the transaction in ctx; they are stored in the outbox with its commit.
// An event without ID gets a UUID v7, one without At the time of the call (UTC, microseconds),
// one without OrgID the organisation of WithOrg; Data defaults to {}. Outside a transaction it returns an errs Internal error and stores
// nothing.
func Emit(ctx context.Context, events ...Event) error {
	b, ok := ctx.Value(batchKey{}).(*Batch)
	if !ok {
		return errs.Internal(ErrNoTransaction, "event not recorded")
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	org, _ := ctx.Value(orgKey{}).(string)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range events {
		if e.ID == "" {
			e.ID = uuid.Must(uuid.NewV7()).String()
		}
		if e.At.IsZero() {
			e.At = now
		}
		e.At = e.At.UTC().Truncate(time.Microsecond)
		if e.OrgID == "" {
			e.OrgID = org
		}
		if len(e.Data) == 0 {
			e.Data = []byte("{}")
		}
		b.events = append(b.events, e)
	}
	return nil
}

type orgKey struct{}

// WithOrg returns ctx naming the organisation whose act the writes under it are: Emit gives
// the events emitted under it that name no organisation this OrgID (a training's credits.posted
// names the institution that posted the training).
func WithOrg(ctx context.Context, orgID string) context.Context {
	if orgID == "" {
		return ctx
	}
	return context.WithValue(ctx, orgKey{}, orgID)
}
