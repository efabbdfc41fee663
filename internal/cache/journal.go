package cache

import (
	"context"
	"time"
)

// Invalidation names one cached entry to forget: the Loader's name and the key passed to
// Invalidate.
type Invalidation struct {
	Cache string
	Key   string
}

// Recorded is an Invalidation kept in the Journal, with the id that removes it.
type Recorded struct {
	ID int64
	Invalidation
}

// Journal keeps, in the database that every instance shares, the invalidations that could not
// reach Redis, until one instance has applied them. The database is the truth and outlives a
// Redis outage, so an invalidation recorded there cannot be forgotten by the instance that
// failed it, nor missed by the others. Package sqlstore implements it.
type Journal interface {
	// Append records invalidations (one statement), stamped with the time of the call.
	Append(ctx context.Context, invs []Invalidation) error
	// Pending returns up to limit recorded invalidations, oldest first.
	Pending(ctx context.Context, limit int) ([]Recorded, error)
	// Remove deletes recorded invalidations that have been applied; unknown ids are ignored.
	Remove(ctx context.Context, ids []int64) error
}

// journalTimeout bounds one Journal call: they run after a commit or in the replay loop, never
// on a read.
const journalTimeout = 5 * time.Second

// replayBatch is how many recorded invalidations one replay step applies.
const replayBatch = 500

// UseJournal makes c record the invalidations that fail into j, and replay j's entries (every
// instance's) before it trusts Redis again and every ReplayInterval. It replays what j holds
// at once (entries left by an instance that stopped before it could apply them); if that
// fails, Redis is not trusted until the replay loop has succeeded. Call it once, before
// serving.
func (c *Cache) UseJournal(ctx context.Context, j Journal) {
	c.trust.mu.Lock()
	c.trust.journal = j
	c.trust.mu.Unlock()
	c.replay(ctx)
}

// journalOf returns the Journal in use, or nil.
func (t *trust) journalOf() Journal {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.journal
}
